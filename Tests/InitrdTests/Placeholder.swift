// local placeholder (untracked): main's test directories are empty
