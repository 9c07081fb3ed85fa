// ln — GNU-compatible ln (Guest/Libraries/Utilities/, checked against GNU by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Ln.run($0, $1) }
