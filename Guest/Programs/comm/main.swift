// comm — GNU-compatible comm (Guest/Libraries/Utilities/, checked against GNU by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Comm.run($0, $1) }
