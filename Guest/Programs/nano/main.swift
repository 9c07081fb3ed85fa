// nano — a nano-style full-screen editor over ANSI/VT100 sequences (Guest/Libraries/Utilities/
// Editor.swift, EditorBuffer.swift; the terminal and the saves in UtilitiesGuest/ScreenPrograms.swift).
import UtilitiesGuest

runEditor()
