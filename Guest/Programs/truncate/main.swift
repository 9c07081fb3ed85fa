// truncate — GNU-compatible truncate (Guest/Libraries/Utilities/, checked against GNU by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Truncate.run($0, $1) }
