// cmp — GNU-compatible cmp (Guest/Libraries/Utilities/, checked against GNU by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Cmp.run($0, $1) }
