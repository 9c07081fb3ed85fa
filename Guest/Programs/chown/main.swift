// chown — GNU-compatible chown (Guest/Libraries/Utilities/, checked against GNU by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Chown.run($0, $1) }
