// mktemp — GNU-compatible mktemp (Guest/Libraries/Utilities/, checked against GNU by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Mktemp.run($0, $1) }
