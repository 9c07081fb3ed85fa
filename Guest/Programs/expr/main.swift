// expr — GNU-compatible expr (Guest/Libraries/Utilities/, checked against GNU by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Expr.run($0, $1) }
