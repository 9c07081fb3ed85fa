// unexpand — GNU-compatible unexpand (Guest/Libraries/Utilities/, checked against GNU by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Unexpand.run($0, $1) }
