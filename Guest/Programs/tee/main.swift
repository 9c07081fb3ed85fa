// tee — GNU-compatible tee (Guest/Libraries/Utilities/, checked against GNU coreutils by Tests/UtilitiesTests).
import UtilitiesGuest

runUtility("tee")
