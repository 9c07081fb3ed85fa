// uname — GNU-compatible uname (Guest/Libraries/Utilities/, checked against GNU by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Uname.run($0, $1) }
