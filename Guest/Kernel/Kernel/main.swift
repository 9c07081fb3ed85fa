// main.swift — intentionally empty. The kernel is entered at `_start` (Arch/entry.S), which calls
// `kernel_main` (Boot.swift); SwiftPM just needs a main file to build an executable.
