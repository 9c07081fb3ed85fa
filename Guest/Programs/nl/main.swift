// nl — GNU-compatible nl (Guest/Libraries/Utilities/, checked against GNU by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Nl.run($0, $1) }
