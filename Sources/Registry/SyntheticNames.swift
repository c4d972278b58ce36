/// Name and place lists for synthetic citizens: common Vietnamese family names (weighted by
/// repetition), middle and given names, and Hà Nam's districts and some of their communes.
enum Names {
    static let surnames = ["Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Trần",
                           "Lê", "Lê", "Lê", "Phạm", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
                           "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Đoàn", "Lương", "Mai", "Tạ"]
    static let maleMiddle = ["Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Công", "Xuân", "Ngọc", "Tiến"]
    static let femaleMiddle = ["Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Kim", "Thùy", "Phương"]
    static let maleGiven = ["An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hải", "Hiếu", "Hùng", "Huy", "Khánh", "Long", "Minh", "Nam",
                            "Nghĩa", "Phong", "Phúc", "Quân", "Sơn", "Thắng", "Thành", "Tiến", "Trung", "Tuấn", "Việt", "Vinh"]
    static let femaleGiven = ["Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hồng", "Hương", "Lan", "Linh", "Loan", "Mai",
                              "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Thủy", "Trang", "Tuyết", "Vân", "Yến"]
    static let haNamDistricts: [(String, [String])] = [
        ("Thành phố Phủ Lý", ["Phường Hai Bà Trưng", "Phường Lê Hồng Phong", "Phường Quang Trung", "Xã Phù Vân", "Xã Kim Bình"]),
        ("Thị xã Duy Tiên", ["Phường Hòa Mạc", "Phường Đồng Văn", "Xã Chuyên Ngoại", "Xã Mộc Bắc", "Xã Tiên Sơn"]),
        ("Huyện Kim Bảng", ["Thị trấn Quế", "Xã Thanh Sơn", "Xã Thụy Lôi", "Xã Ngọc Sơn", "Xã Tượng Lĩnh"]),
        ("Huyện Thanh Liêm", ["Thị trấn Tân Thanh", "Xã Thanh Hà", "Xã Liêm Cần", "Xã Thanh Nghị", "Xã Liêm Phong"]),
        ("Huyện Bình Lục", ["Thị trấn Bình Mỹ", "Xã An Ninh", "Xã Bồ Đề", "Xã Tràng An", "Xã Đồng Du"]),
        ("Huyện Lý Nhân", ["Thị trấn Vĩnh Trụ", "Xã Nhân Thịnh", "Xã Chân Lý", "Xã Đạo Lý", "Xã Hòa Hậu"]),
    ]
    static let genericDistricts: [(String, [String])] = [
        ("Huyện Đông", ["Xã Hòa Bình", "Xã Tân Tiến", "Xã Đoàn Kết"]),
        ("Huyện Tây", ["Xã Thống Nhất", "Xã Quyết Thắng", "Xã Hưng Long"]),
        ("Thành phố", ["Phường Trung Tâm", "Phường Bắc", "Phường Nam"]),
    ]

    static func pick(_ list: [String], _ g: inout SplitMix64) -> String { list[Int(g.next() % UInt64(list.count))] }
}
