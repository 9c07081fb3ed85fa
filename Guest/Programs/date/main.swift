// date — GNU-compatible date (Guest/Libraries/Utilities/, checked against GNU coreutils by
// Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { DateTool.run($0, $1) }
