import Alongside
import Foundation
import UserNotifications
#if canImport(UIKit)
import UIKit
#endif

/// The iOS app's platform services (android's app/: intents, the Keystore, alarms).
public final class ApplePlatform: Platform {
    /// Prefix of the identifiers of the reminders this app schedules, so others are left alone.
    static let reminderPrefix = "alongside.reminder."

    public init() {}

    public func call(_ number: String) {
        open("tel:\(digits(number))")
    }

    /// The body rides on the link as `&body=` (Messages types it in); the button shows the word too.
    public func text(_ number: String, body: String?) {
        var link = "sms:\(digits(number))"
        if let body, let escaped = body.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) {
            link += "&body=\(escaped)"
        }
        open(link)
    }

    /// Into the app's Documents folder (shown in the Files app with `UIFileSharingEnabled`),
    /// then the share sheet for it (android's ACTION_SEND chooser): the person picks where it goes.
    public func export(fileName: String, json: String) throws -> String {
        let folder = try FileManager.default.url(for: .documentDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
        let file = folder.appendingPathComponent(fileName)
        try json.write(to: file, atomically: true, encoding: .utf8)
        share(file)
        return file.path
    }

    /// Presents the share sheet over whatever the app shows now (on an iPad, as a popover from its bottom edge).
    private func share(_ file: URL) {
        #if canImport(UIKit)
        DispatchQueue.main.async {
            let scene = UIApplication.shared.connectedScenes
                .compactMap { $0 as? UIWindowScene }
                .first { $0.activationState == .foregroundActive }
            guard var top = scene?.windows.first(where: { $0.isKeyWindow })?.rootViewController else { return }
            while let shown = top.presentedViewController { top = shown }
            let sheet = UIActivityViewController(activityItems: [file], applicationActivities: nil)
            sheet.popoverPresentationController?.sourceView = top.view
            sheet.popoverPresentationController?.sourceRect = CGRect(x: top.view.bounds.midX, y: top.view.bounds.maxY, width: 0, height: 0)
            top.present(sheet, animated: true)
        }
        #endif
    }

    /// The core's schedule as local notifications keyed by each reminder's stable id:
    /// adding a request with an id already scheduled replaces it; ours not in the list are removed.
    public func schedule(_ reminders: [Reminder]) {
        let center = UNUserNotificationCenter.current()
        if !reminders.isEmpty {
            // Asked once by iOS; later calls answer at once with the person's choice.
            center.requestAuthorization(options: [.alert, .sound]) { _, _ in }
        }
        let wanted = Set(reminders.map { Self.reminderPrefix + $0.id })
        center.getPendingNotificationRequests { pending in
            let gone = pending.map(\.identifier).filter { $0.hasPrefix(Self.reminderPrefix) && !wanted.contains($0) }
            center.removePendingNotificationRequests(withIdentifiers: gone)
        }
        for reminder in reminders {
            guard let at = instant(reminder.at), at > Date() else { continue }
            let content = UNMutableNotificationContent()
            content.title = reminder.title
            content.body = reminder.body
            let when = Calendar.current.dateComponents([.year, .month, .day, .hour, .minute], from: at)
            let trigger = UNCalendarNotificationTrigger(dateMatching: when, repeats: false)
            center.add(UNNotificationRequest(identifier: Self.reminderPrefix + reminder.id, content: content, trigger: trigger))
        }
    }

    /// What arrived, told as local notifications (the core has worded them, and
    /// in discreet mode says only that something is waiting).
    public func post(_ notices: [Notice]) {
        let center = UNUserNotificationCenter.current()
        for notice in notices {
            let content = UNMutableNotificationContent()
            content.title = notice.title
            content.body = notice.body
            content.sound = notice.urgent ? .default : nil
            center.add(UNNotificationRequest(identifier: "alongside.news." + notice.id, content: content, trigger: nil))
        }
    }

    public func replaceDatabaseKey(_ rekey: (Data) throws -> Void) throws {
        try DatabaseKey.replace(rekey)
    }

    private func open(_ link: String) {
        #if canImport(UIKit)
        guard let url = URL(string: link) else { return }
        DispatchQueue.main.async { UIApplication.shared.open(url) }
        #endif
    }

    private func digits(_ number: String) -> String {
        number.filter { $0.isNumber || $0 == "+" }
    }
}
