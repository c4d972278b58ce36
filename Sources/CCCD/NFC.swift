import Foundation

/// Unicode Normalization Form C, via Foundation.
func _nfc(_ s: String) -> String { s.precomposedStringWithCanonicalMapping }
