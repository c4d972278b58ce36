import ISO7816

func h(_ s: String) -> [UInt8] {
    guard let b = [UInt8](hex: s) else { fatalError("bad hex in test: \(s)") }
    return b
}
