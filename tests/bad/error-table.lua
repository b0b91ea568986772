-- expect: tests/bad/error-table.lua:4: error raised with a table value (give error() a message)
-- error() with a table instead of a message still names the file and line.
scenario "error-table" { stop_at = "1h" }
error({ code = 42 })
