// touch — GNU-compatible touch (Guest/Libraries/Utilities/Touch.swift, checked against GNU by
// Tests/UtilitiesTests/TouchTests.swift).
import Utilities
import UtilitiesGuest

runUtility { Touch.run($0, $1) }
