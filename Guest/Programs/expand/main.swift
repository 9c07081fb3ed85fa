// expand — GNU-compatible expand (Guest/Libraries/Utilities/, checked against GNU by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Expand.run($0, $1) }
