import Alongside
import AlongsideApp
import BackgroundTasks
import Network
import SwiftUI
import UIKit

// The iOS application (android's app/): one scene showing the shared screens,
// and the platform's services, nothing else. Not part of Package.swift (an
// iOS app bundle needs Xcode's app target): add this file to an iOS App target
// that depends on the package's `AlongsideApp` product (ios/README.md).

/// Where the sync server is: the `AlongsideServer` key of the app's Info.plist.
private let serverURL = Bundle.main.object(forInfoDictionaryKey: "AlongsideServer") as? String ?? "https://sync.example.org"

/// The periodic sync's identifier, also listed under `BGTaskSchedulerPermittedIdentifiers` in Info.plist.
private let refreshTask = "org.alongside.app.sync"

@main
struct AlongsideiOSApp: App {
    @Environment(\.scenePhase) private var scenePhase
    private let platform = ApplePlatform()
    private let language = languageOf(Locale.current)
    private let app: AppModel?
    private let connectivity = NWPathMonitor()

    init() {
        app = Self.open(platform: platform, language: language)
        if let store = app?.store {
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
            } else {
                CrisisOnlyRoot(platform: platform, language: language)
            }
        }
        .onChange(of: scenePhase) { phase in
            // The server's event stream while the app is open.
            app?.store.core.setForeground(foreground: phase == .active)
            if phase == .background { Self.scheduleRefresh() }
        }
    }

    /// The store in Application Support (excluded from backups), with the Keychain's key.
    private static func open(platform: Platform, language: Language) -> AppModel? {
        do {
            let folder = try FileManager.default.url(for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
            var file = folder.appendingPathComponent("alongside.db")
            let core = try Companion.open(
                path: file.path, key: try DatabaseKey.load(), serverUrl: serverURL, deviceName: UIDevice.current.name)
            var noBackup = URLResourceValues()
            noBackup.isExcludedFromBackup = true
            try? file.setResourceValues(noBackup)
            return AppModel(store: try Store(core: core), platform: platform, language: language)
        } catch {
            return nil
        }
    }

    private static func scheduleRefresh() {
        let request = BGAppRefreshTaskRequest(identifier: refreshTask)
        request.earliestBeginDate = Date(timeIntervalSinceNow: 15 * 60)
        try? BGTaskScheduler.shared.submit(request)
    }
}
