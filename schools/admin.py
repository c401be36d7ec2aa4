from django.contrib import admin

from .models import AttendanceRecord, EarlyWarning, Enrolment, School, SchoolStaff, WarningRule


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "ward")


@admin.register(SchoolStaff)
class SchoolStaffAdmin(admin.ModelAdmin):
    list_display = ("user", "school")
    raw_id_fields = ("user",)


@admin.register(WarningRule)
class WarningRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parameters", "active")


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ("child", "school", "class_name", "school_year")
    raw_id_fields = ("child",)


@admin.register(AttendanceRecord)
class AttendanceRecordAdmin(admin.ModelAdmin):
    list_display = ("enrolment", "month", "days_absent", "days_absent_unexcused")
    raw_id_fields = ("enrolment",)


@admin.register(EarlyWarning)
class EarlyWarningAdmin(admin.ModelAdmin):
    list_display = ("child", "raised_on", "rule", "contacted_on")
    raw_id_fields = ("child", "enrolment")
