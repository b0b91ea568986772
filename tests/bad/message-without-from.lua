-- expect: tests/bad/message-without-from.lua:3: message: 'from' is required
-- A message needs a sender address.
message { at = "0s", to = "bob@example.test" }
