// grep — GNU-compatible grep (Guest/Libraries/Utilities/Grep.swift, checked against GNU grep by
// Tests/UtilitiesTests).
import Utilities
import UtilitiesGuest

runUtility { Grep.run($0, $1) }
