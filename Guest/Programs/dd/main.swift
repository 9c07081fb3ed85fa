// dd — GNU-compatible dd (Guest/Libraries/Utilities/, checked against GNU by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Dd.run($0, $1) }
