// diff — GNU-compatible diff (Guest/Libraries/Utilities/, checked against GNU by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Diff.run($0, $1) }
