import Alongside
import AlongsideApp
import BackgroundTasks
import Network
import SwiftUI
import UIKit

// The iOS application (android's app/): one scene showing the shared screens,
// and the platform's services, nothing else. Not part of Package.swift (an
// iOS app bundle needs Xcode's app target): the target `Alongside` of
// ios/App/Alongside.xcodeproj compiles it over the package's `AlongsideApp`.

/// Where the sync server is: the `AlongsideServer` key of the app's Info.plist.
private let serverURL = Bundle.main.object(forInfoDictionaryKey: "AlongsideServer") as? String ?? "https://sync.example.org"

/// The periodic sync's identifier, also listed under `BGTaskSchedulerPermittedIdentifiers` in Info.plist.
private let refreshTask = "org.alongside.app.sync"

@main
struct AlongsideiOSApp: App {
    @UIApplicationDelegateAdaptor(WakeUps.self) private var wakeUps
    @Environment(\.scenePhase) private var scenePhase
    private let platform = ApplePlatform()
    private let language = languageOf(Locale.current)
    /// The app over the store, or why the store could not be opened.
    @State private var opened: Result<AppModel, Error>
    private let connectivity = NWPathMonitor()

    private var app: AppModel? { try? opened.get() }

    init() {
        let opened = Self.open(platform: platform, language: language)
        _opened = State(initialValue: opened)
        WakeUps.app = try? opened.get()
        if let store = (try? opened.get())?.store {
            // Connectivity: a usable path is "available".
            connectivity.pathUpdateHandler = { path in store.core.setNetworkAvailable(available: path.status == .satisfied) }
            connectivity.start(queue: DispatchQueue(label: "org.alongside.app.network"))
            // Periodic sync when iOS allows it (at most about every 15 minutes).
            BGTaskScheduler.shared.register(forTaskWithIdentifier: refreshTask, using: nil) { task in
                Self.scheduleRefresh()
                let sync = Task { _ = try? await store.core.syncNow() }
                task.expirationHandler = { sync.cancel() }
                Task {
                    _ = await sync.result
                    task.setTaskCompleted(success: true)
                }
            }
        }
    }

    var body: some Scene {
        WindowGroup {
            if let app {
                AlongsideRoot(app: app)
                    .task { await app.start() }
                    .onReceive(NotificationCenter.default.publisher(for: NSLocale.currentLocaleDidChangeNotification)) { _ in
                        app.setLanguage(languageOf(Locale.current))
                    }
                    // At sign-in, where this phone is woken goes to the sync server.
                    .onReceive(app.$account) { account in
                        if account != nil { wakeUps.register() }
                    }
            } else {
                CrisisOnlyRoot(platform: platform, language: language, startOver: startOver)
            }
        }
        .onChange(of: scenePhase) { phase in
            // The server's event stream while the app is open.
            app?.store.core.setForeground(foreground: phase == .active)
            if phase == .background { Self.scheduleRefresh() }
        }
    }

    /// Offered only when the store is there but cannot be read: it is removed with its key and a
    /// new one opened (connectivity and periodic sync are wired again at the next launch).
    private var startOver: (() -> Void)? {
        guard case let .failure(error) = opened, DatabaseKey.unreadable(error) else { return nil }
        return {
            if let path = try? Shared.databaseURL().path { DatabaseKey.forget(path: path) }
            opened = Self.open(platform: platform, language: language)
            WakeUps.app = try? opened.get()
        }
    }

    /// The store in the app group's container (excluded from backups), with the Keychain's key.
    private static func open(platform: Platform, language: Language) -> Result<AppModel, Error> {
        Result {
            let core = try DatabaseKey.open(
                path: try Shared.databaseURL().path, serverUrl: serverURL, deviceName: UIDevice.current.name)
            return AppModel(store: try Store(core: core), platform: platform, language: language)
        }
    }

    private static func scheduleRefresh() {
        let request = BGAppRefreshTaskRequest(identifier: refreshTask)
        request.earliestBeginDate = Date(timeIntervalSinceNow: 15 * 60)
        try? BGTaskScheduler.shared.submit(request)
    }
}

/// APNs (android's WakeUps.kt): the server's wake-up says nothing about anyone.
/// A normal one is a silent push: sync, and post what the core says arrived. An
/// urgent one is an alert whose neutral text the Notification Service Extension
/// (ios/NotificationService) replaces from the local store.
final class WakeUps: NSObject, UIApplicationDelegate {
    @MainActor static var app: AppModel?
    private var token: String?

    func application(_ application: UIApplication, didFinishLaunchingWithOptions options: [UIApplication.LaunchOptionsKey: Any]? = nil) -> Bool {
        application.registerForRemoteNotifications()
        return true
    }

    func application(_ application: UIApplication, didRegisterForRemoteNotificationsWithDeviceToken deviceToken: Data) {
        token = deviceToken.map { String(format: "%02x", $0) }.joined()
        register()
    }

    func application(_ application: UIApplication, didFailToRegisterForRemoteNotificationsWithError error: Error) {
        // No push on this phone (a simulator, or no network yet): periodic sync still runs.
    }

    /// Tells the sync server where this phone is woken (after sign-in, and when the token changes).
    @MainActor
    func register() {
        guard let token, let store = Self.app?.store, Self.app?.account != nil else { return }
        Task {
            // Only where the program's server holds an APNs key; else periodic sync alone.
            // Offline: asked and registered again at the next sign-in or launch.
            guard (try? await store.core.wakeUpOffer())?.apns == true else { return }
            try? await store.core.setWakeUps(registration: .apns(deviceToken: token))
        }
    }

    func application(_ application: UIApplication, didReceiveRemoteNotification userInfo: [AnyHashable: Any],
                     fetchCompletionHandler completion: @escaping (UIBackgroundFetchResult) -> Void) {
        Task { @MainActor in
            guard let app = Self.app else { return completion(.noData) }
            let now = ISO8601DateFormatter().string(from: Date())
            do {
                let notices = try await app.store.afterWakeUp(since: Shared.newsSince())
                ApplePlatform().post(notices)
                Shared.newsTold(until: now)
                completion(notices.isEmpty ? .noData : .newData)
            } catch {
                completion(.failed)
            }
        }
    }
}
