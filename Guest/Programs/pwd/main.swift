// pwd — GNU-compatible pwd (Guest/Libraries/Utilities/, checked against GNU by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Pwd.run($0, $1) }
