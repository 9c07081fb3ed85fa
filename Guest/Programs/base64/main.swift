// base64 — GNU-compatible base64 (Guest/Libraries/Utilities/, checked against GNU by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Base64.run($0, $1) }
