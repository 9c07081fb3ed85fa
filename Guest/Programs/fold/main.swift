// fold — GNU-compatible fold (Guest/Libraries/Utilities/, checked against GNU by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Fold.run($0, $1) }
