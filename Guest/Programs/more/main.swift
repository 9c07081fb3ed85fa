// more — the same pager as less with more's behaviour: "--More--(N%)" prompts, and it ends once
// the end of its last file is on the screen (Guest/Libraries/Utilities/Pager.swift).
import UtilitiesGuest

runPager(more: true)
