"""Page-level help on the form pages (issue 18): what the fields mean, in the ward's own words
(DOMAIN §7). One text per page, found by the page's URL name; base.html shows it above the
page's content in a block marked `data-page-help` (tests/test_form_help.py checks that every
form page has one)."""

from django.utils.translation import gettext_lazy as _

_CHILD = _(
    "Mỗi trẻ một hồ sơ: họ và tên viết đủ, họ trước tên sau, như trong giấy khai sinh. "
    "“Hộ gia đình” là mã hộ nơi trẻ đang sống (xem ở danh sách hộ). Số định danh cá nhân gồm "
    "12 chữ số, mỗi số chỉ của một người. “Có nguy cơ lao động sớm” khi trẻ bỏ học, phải "
    "làm việc phụ giúp gia đình hay sống trong hộ nghèo, cận nghèo; “Hoàn cảnh đặc biệt” theo "
    "14 nhóm của Luật Trẻ em, Điều 10."
)
_HOUSEHOLD = _(
    "Mã hộ do phường đặt theo mẫu nhập dữ liệu (ví dụ HGD-0001), chủ hộ ghi họ trước tên "
    "sau, địa chỉ theo tổ dân phố. “Diện hộ” là hộ nghèo, hộ cận nghèo hoặc hoàn cảnh khó "
    "khăn theo danh sách đã được UBND phường công nhận."
)
_CAREGIVER = _(
    "Người chăm sóc là cha, mẹ hoặc người trực tiếp nuôi dưỡng trẻ trong hộ. Ghi họ và tên, "
    "quan hệ với trẻ và số điện thoại để cán bộ liên hệ khi theo dõi, hỗ trợ."
)
_WORK = _(
    "Quá trình làm việc của trẻ hoặc người lao động chưa thành niên: công việc, nơi làm việc "
    "(cơ sở sản xuất, kinh doanh hoặc hộ gia đình), số giờ mỗi ngày, mỗi tuần, có làm đêm, "
    "làm thêm giờ không. Hệ thống đối chiếu với Bộ luật Lao động và cho biết có trái quy "
    "định hay không."
)
_INTAKE = _(
    "Tiếp nhận thông tin, phản ánh, tố giác về trẻ em lao động trái quy định: kênh tiếp nhận "
    "(trực tiếp, điện thoại, tổng đài 111…), thời điểm, nội dung (trẻ nào, làm việc gì, ở "
    "đâu). Người phản ánh được giữ bí mật; phản ánh phải được xác minh trong 12 giờ."
)
_BUSINESS = _(
    "Cơ sở sản xuất, kinh doanh trên địa bàn phường: tên, chủ cơ sở, ngành nghề, địa chỉ và "
    "tổ dân phố. “Nguy cơ cao” là cơ sở thuộc ngành nghề dễ sử dụng lao động trẻ em, cần "
    "được kiểm tra, tuyên truyền trước."
)
_COMMITMENT = _(
    "Bản cam kết không sử dụng lao động trẻ em trái quy định: ngày ký và người ký (để trống "
    "nếu là chủ cơ sở hoặc chủ hộ). Bản giấy có chữ ký được lưu tại UBND phường."
)
_VIOLATION = _(
    "Vi phạm phát hiện khi kiểm tra: chọn hành vi theo Điều 29 Nghị định 12/2022/NĐ-CP, mô tả "
    "ngắn điều đã thấy, trẻ em liên quan. Khi đã xử phạt, ghi số quyết định xử phạt và số "
    "tiền (tổ chức bị phạt gấp 2 lần cá nhân); “Hạn kiểm tra lại” là ngày đoàn quay lại cơ sở."
)
_SESSION = _(
    "Buổi tuyên truyền: ngày, hình thức (loa truyền thanh, mạng xã hội, hội nghị, họp dân, "
    "trường học…), nội dung, số người dự. Chọn các hộ gia đình, cơ sở được tuyên truyền để "
    "tính chỉ tiêu bao phủ của tổ dân phố."
)
_TRAINING = _(
    "Lớp tập huấn cho cán bộ, cộng tác viên về phòng ngừa lao động trẻ em: ngày, nội dung, "
    "đơn vị tổ chức và học viên đã dự. Người chưa dự lớp nào trong năm hiện ở trang “Chưa "
    "tập huấn”."
)
_MEETING = _(
    "Họp phối hợp, giao ban giữa các cơ quan của kế hoạch: ngày họp, cơ quan dự họp, nội dung "
    "và kết luận. Mỗi việc được giao ghi cơ quan thực hiện và hạn hoàn thành; họp hội đồng "
    "ca ghi thêm mã hồ sơ (ví dụ 12 cho HS-00012)."
)
_DONATION = _(
    "Khoản xã hội hóa (đóng góp tự nguyện): nhà tài trợ, ngày tiếp nhận, số tiền hoặc hiện "
    "vật (và giá trị quy ra đồng), mục đích sử dụng; có thể giới hạn cho một tổ dân phố "
    "hoặc một hình thức hỗ trợ. Khoản đã dùng để hỗ trợ trẻ được trừ dần ở “còn lại”."
)
_ESTIMATE = _(
    "Dự toán chi thường xuyên của năm cho kế hoạch: năm, hoạt động (tuyên truyền, tập huấn, "
    "kiểm tra, hỗ trợ trẻ…), nguồn (ngân sách nhà nước hoặc xã hội hóa) và số tiền dự kiến "
    "bằng đồng."
)
_PRACTICE = _(
    "Mô hình, cách làm hay trong phòng ngừa lao động trẻ em: tên, tổ dân phố hoặc cơ quan "
    "thực hiện, mô tả cách làm và kết quả, các từ khóa (cách nhau bằng dấu phẩy) để tìm lại."
)

HELP = {
    # Register
    "children:create": _CHILD,
    "children:edit": _CHILD,
    "children:detail": _(
        "Hồ sơ trẻ em: thông tin, quá trình làm việc, rà soát, hỗ trợ và tài liệu đính kèm. Ô "
        "tải tệp nhận PDF, ảnh hoặc văn bản (biên bản, giấy tờ của trẻ); phần “Mô tả” ghi tài "
        "liệu đó là gì."
    ),
    "children:risk": _(
        "Đánh dấu trẻ có nguy cơ lao động sớm và ghi yếu tố nguy cơ (bỏ học, gia đình khó "
        "khăn, phải làm việc phụ giúp…). Chọn các nhóm hoàn cảnh đặc biệt theo Luật Trẻ em, "
        "Điều 10, nếu có."
    ),
    "children:merge": _(
        "Gộp hai hồ sơ của cùng một trẻ: nhập số hồ sơ trùng; mọi rà soát, hỗ trợ, hồ sơ vụ "
        "việc của hồ sơ đó chuyển sang hồ sơ này rồi hồ sơ trùng bị xóa. Chỉ gộp khi chắc chắn "
        "là cùng một trẻ."
    ),
    "children:transfer_send": _(
        "Chuyển trẻ sang phường, xã khác khi gia đình chuyển nơi ở: chọn nơi đến và ghi lý do. "
        "Hồ sơ chỉ chuyển khi cán bộ Văn hóa - Xã hội của nơi đến tiếp nhận."
    ),
    "children:workrecord_add": _WORK,
    "children:workrecord_edit": _WORK,
    "children:healthcheck_add": _(
        "Kết quả khám sức khỏe của Trạm Y tế: ngày khám, cân nặng, chiều cao và kết luận. Tình "
        "trạng dinh dưỡng được tính theo chuẩn tăng trưởng của WHO; chỉ Trạm Y tế, công chức "
        "Văn hóa - Xã hội và lãnh đạo xem được."
    ),
    # Intake and cases
    "children:intake_create": _INTAKE,
    "children:intake_edit": _INTAKE,
    "children:intake_detail": _(
        "Xác minh phản ánh: ghi kết quả xác minh, gắn với trẻ em trong danh sách, rồi mở hồ sơ "
        "vụ việc nếu có cơ sở, hoặc kết thúc nếu không có cơ sở hay trùng phản ánh khác."
    ),
    "children:case_detail": _(
        "Hồ sơ vụ việc theo Nghị định 56/2017/NĐ-CP: tiếp nhận, đánh giá ban đầu, kế hoạch hỗ "
        "trợ, can thiệp, theo dõi, đánh giá và kết thúc hồ sơ. Các ô trên trang ghi diễn biến "
        "và tài liệu của từng bước."
    ),
    "children:case_assess": _(
        "Đánh giá ban đầu: với mỗi mặt (công việc, thời giờ làm việc, học tập, sức khỏe, kinh "
        "tế gia đình, sự chăm sóc của cha mẹ) chọn mức độ nguy cơ cao, trung bình hoặc thấp và "
        "ghi nhận định. Đánh dấu “Cần can thiệp khẩn cấp” khi tính mạng, sức khỏe của trẻ bị "
        "đe dọa."
    ),
    "children:case_plan": _(
        "Kế hoạch hỗ trợ, can thiệp: mục tiêu, từng hoạt động với cơ quan thực hiện và thời "
        "hạn. Kế hoạch được trình lãnh đạo UBND phường phê duyệt hoặc trả lại để sửa."
    ),
    "children:case_close": _(
        "Kết thúc hồ sơ khi trẻ đã an toàn, không còn lao động trái quy định (hoặc chuyển đi): "
        "ghi lý do và kết quả cuối cùng của việc hỗ trợ."
    ),
    "children:followup_create": _(
        "Theo dõi, đánh giá sau hỗ trợ: ngày đến gặp trẻ, trẻ còn lao động trái quy định hay "
        "không, có đang đi học không và nhận xét của cán bộ."
    ),
    "children:support_create": _(
        "Hỗ trợ đã trao cho trẻ: nhu cầu, hình thức (học bổng, đồ dùng học tập, học nghề, trợ "
        "cấp…), đơn vị hỗ trợ, ngày và giá trị bằng đồng, nguồn kinh phí. Nếu lấy từ khoản xã "
        "hội hóa, chọn khoản đó để trừ số còn lại."
    ),
    # Households
    "households:create": _HOUSEHOLD,
    "households:edit": _HOUSEHOLD,
    "households:caregiver_add": _CAREGIVER,
    "households:caregiver_edit": _CAREGIVER,
    # Inspections
    "inspections:business_create": _BUSINESS,
    "inspections:business_edit": _BUSINESS,
    "inspections:business_commitment": _COMMITMENT,
    "inspections:household_commitment": _(
        "Cam kết của hộ gia đình không để trẻ em lao động trái quy định: chọn hộ, ngày ký và "
        "người ký (để trống nếu là chủ hộ)."
    ),
    "inspections:inspection_plan": _(
        "Kế hoạch kiểm tra: số kế hoạch hoặc quyết định, loại kiểm tra (định kỳ hoặc đột xuất), "
        "ngày dự kiến, đoàn kiểm tra liên ngành và thành viên. Chọn các cơ sở cần kiểm tra: mỗi "
        "cơ sở tạo một cuộc kiểm tra."
    ),
    "inspections:inspection_record": _(
        "Kết quả kiểm tra tại cơ sở: ngày kiểm tra, số biên bản, kết quả và việc đã tuyên "
        "truyền, phổ biến pháp luật. Trẻ em gặp tại cơ sở và vi phạm được ghi ở các trang "
        "riêng của cuộc kiểm tra."
    ),
    "inspections:minor_add": _(
        "Trẻ em hoặc người lao động chưa thành niên gặp khi kiểm tra: chọn trẻ đã có trong danh "
        "sách hoặc nhập trẻ mới với hộ gia đình, rồi ghi công việc, số giờ làm, làm đêm, hợp "
        "đồng, giấy khám sức khỏe. Hệ thống cho biết có trái quy định hay không."
    ),
    "inspections:violation_add": _VIOLATION,
    "inspections:violation_edit": _VIOLATION,
    # Outreach
    "outreach:session_create": _SESSION,
    "outreach:session_edit": _SESSION,
    "outreach:training_create": _TRAINING,
    "outreach:training_edit": _TRAINING,
    "outreach:material_create": _(
        "Tài liệu tuyên truyền (tờ rơi, pa-nô, bài phát thanh, video): tên, loại và tệp hoặc "
        "đường dẫn, để các tổ dân phố và đoàn thể dùng chung."
    ),
    # Schools
    "schools:enrol": _(
        "Ghi trẻ vào trường và lớp đang học, để theo dõi chuyên cần cùng nhà trường và phát "
        "hiện sớm nguy cơ bỏ học."
    ),
    "schools:class_attendance": _(
        "Chuyên cần của lớp theo tháng: với mỗi học sinh, số ngày nghỉ và số ngày nghỉ không "
        "phép. Nghỉ không phép nhiều sẽ tạo cảnh báo sớm cho công chức Văn hóa - Xã hội."
    ),
    "schools:warning_contact": _(
        "Liên hệ gia đình khi có cảnh báo sớm: ngày liên hệ và kết quả (trẻ đi học lại, gia "
        "đình khó khăn cần hỗ trợ…)."
    ),
    # Coordination and money
    "coordination:meeting_create": _MEETING,
    "coordination:meeting_edit": _MEETING,
    "coordination:meeting_detail": _(
        "Biên bản họp phối hợp: các việc được giao, cơ quan thực hiện, hạn hoàn thành. Cập nhật "
        "kết quả của từng việc khi cơ quan báo lại."
    ),
    "funding:donation_create": _DONATION,
    "funding:donation_edit": _DONATION,
    # Agency inputs, good practices, yearly screening, attendance import
    "coordination:input_detail": _(
        "Báo cáo của cơ quan, tổ dân phố cho kỳ báo cáo của phường: điền các số liệu của đơn "
        "vị trong kỳ (số nguyên, không âm) và ghi ngắn gọn kết quả, khó khăn, đề xuất. Gửi "
        "trước hạn để công chức Văn hóa - Xã hội tổng hợp vào báo cáo; gửi lại vẫn được sửa."
    ),
    "coordination:practice_create": _PRACTICE,
    "coordination:practice_edit": _PRACTICE,
    "coordination:practice_detail": _(
        "Mô hình, cách làm hay: nội dung, đơn vị thực hiện và tài liệu kèm theo. Công chức "
        "Văn hóa - Xã hội cập nhật và đính kèm tệp (ảnh, báo cáo, kế hoạch) để các tổ dân phố "
        "tham khảo."
    ),
    "households:screening": _(
        "Rà soát hằng năm các hộ gia đình của tổ dân phố: với mỗi hộ chưa rà soát trong năm, "
        "ghi ngày rà soát; đánh dấu “có nguy cơ” khi trẻ trong hộ có thể phải đi làm sớm và "
        "ghi lý do (hộ nghèo, trẻ bỏ học, làm nghề tại nhà…)."
    ),
    "inspections:business_screening": _(
        "Rà soát hằng năm các cơ sở sản xuất, kinh doanh đang hoạt động: ghi ngày rà soát; "
        "đánh dấu “có nguy cơ” khi cơ sở có thể sử dụng lao động trẻ em và ghi lý do (ngành "
        "nghề nặng nhọc, thấy trẻ làm việc, làm đêm…)."
    ),
    "imports:school_attendance": _(
        "Nhập chuyên cần một tháng của trường từ tệp Excel: mỗi dòng một học sinh với họ và "
        "tên, ngày sinh, lớp, số ngày nghỉ và số ngày nghỉ không phép. Tải danh sách lớp mẫu "
        "để điền; nếu có dòng sai, không dòng nào được lưu và trang ghi rõ dòng nào cần sửa."
    ),
    "funding:donor_create": _(
        "Nhà tài trợ: tên, loại (tổ chức, doanh nghiệp hay nhà hảo tâm) và cách liên hệ. Đóng "
        "góp là tự nguyện; mục đích của từng khoản ghi khi tiếp nhận."
    ),
    "funding:estimate_create": _ESTIMATE,
    "funding:estimate_edit": _ESTIMATE,
    # Reports, imports, account
    "reports:report_create": _(
        "Tạo báo cáo: chọn loại (báo cáo 6 tháng, năm hoặc đột xuất), năm và kỳ báo cáo. Số "
        "liệu chỉ tiêu được tính tự động; phần “Khó khăn, vướng mắc” và “Kiến nghị” nhập ở "
        "trang báo cáo trước khi ban hành."
    ),
    "reports:report_detail": _(
        "Nội dung báo cáo: nhập, sửa và lưu các phần lời văn trước khi ban hành. Sau khi ban "
        "hành, báo cáo được khóa, có số và ngày, và bản PDF theo thể thức Nghị định 30/2020."
    ),
    "imports:list": _(
        "Nhập dữ liệu từ tệp Excel hoặc CSV theo mẫu của phường (tải mẫu ở trang này): chọn "
        "loại dữ liệu (hộ gia đình, trẻ em…) rồi chọn tệp. Dòng có lỗi được liệt kê, không dòng "
        "nào của tệp được ghi khi còn lỗi."
    ),
    "api_tokens:list": _(
        "Mã truy cập cho phần mềm khác kết nối với hệ thống (API): đặt tên để nhớ dùng cho việc "
        "gì. Mã chỉ hiện một lần; hãy thu hồi mã không còn dùng."
    ),
    "password_change": _(
        "Đổi mật khẩu: nhập mật khẩu đang dùng, rồi mật khẩu mới hai lần. Mật khẩu mới dài ít "
        "nhất 8 ký tự, không chỉ gồm chữ số, không giống tên đăng nhập hay họ tên."
    ),
    "two_factor": _(
        "Xác thực hai bước: quét mã QR bằng ứng dụng xác thực trên điện thoại, rồi nhập mã 6 "
        "chữ số ứng dụng hiện ra. Từ đó, mỗi lần đăng nhập cần thêm mã này."
    ),
}


def page_help_for(request):
    """The help text of the page being shown, or None."""
    match = getattr(request, "resolver_match", None)
    return HELP.get(match.view_name) if match is not None else None
