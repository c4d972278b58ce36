import Logging

/// The PC/SC layer's logger. Debug level names failing calls; payloads are never logged here.
let pcscLogger = Logger(label: "cccd.pcsc")
