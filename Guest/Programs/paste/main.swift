// paste — GNU-compatible paste (Guest/Libraries/Utilities/, checked against GNU by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Paste.run($0, $1) }
