// dirname — GNU-compatible dirname (Guest/Libraries/Utilities/, checked against GNU coreutils by Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Dirname.run($0, $1) }
