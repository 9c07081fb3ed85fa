// printenv — GNU-compatible printenv (Guest/Libraries/Utilities/, checked against GNU by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Printenv.run($0, $1) }
