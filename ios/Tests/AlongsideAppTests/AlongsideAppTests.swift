import Alongside
import Foundation
import XCTest

@testable import AlongsideApp

/// The Swift layer against the real library, no server (sync is off): the
/// twin of android/state's AlongsideTest, and the screens' state holders.
@MainActor
final class AlongsideAppTests: XCTestCase {
    private let participant = "6d3f4c1e-8a52-4b7e-9c1d-2f0a7b5e9d31"

    private func openStore() throws -> Store {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString + ".db").path
        let key = Data((0..<32).map { _ in UInt8.random(in: 0...255) })
        let core = try Companion.open(path: path, key: key, serverUrl: "http://127.0.0.1:9", deviceName: "swift-app-test")
        core.setNetworkAvailable(available: false)
        return try Store(core: core)
    }

    /// Waits for `condition`, a few seconds at most.
    private func eventually(_ what: String, _ condition: @escaping @MainActor () -> Bool) async throws {
        for _ in 0..<200 {
            if condition() { return }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        XCTFail("never: \(what)")
    }

    func testAQueryReadsAtOnceAndAgainAfterAWrite() async throws {
        let store = try openStore()
        var iterator = store.query(participant, [.goals]) { [participant] in try $0.listGoals(participantId: participant).count }
            .makeAsyncIterator()
        let first = await iterator.next()
        XCTAssertEqual(first, 0)
        _ = try await store.local { [participant] in
            try $0.createGoal(record: Goal(participantId: participant, title: "Walk the kids to school", area: .parenting, status: .active))
        }
        let second = await iterator.next()
        XCTAssertEqual(second, 1)
    }

    func testAChangeOfAnotherCollectionOrPersonIsNotAChangeOfThisQuery() {
        let change = DataChange(participantId: participant, collections: [.checkIns], remote: false)
        XCTAssertTrue(change.touches(participant, [.checkIns, .goals]))
        XCTAssertTrue(change.touches(nil, nil))
        XCTAssertFalse(change.touches(participant, [.goals]))
        XCTAssertFalse(change.touches("someone-else", [.checkIns]))
    }

    func testSyncStatusStartsWithWhereSyncStandsNow() async throws {
        let store = try openStore()
        var statuses = store.syncStatuses().makeAsyncIterator()
        let now = await statuses.next()
        XCTAssertNotNil(now)
    }

    func testARefusedWriteIsAFieldAndAReasonInThePersonsLanguage() async throws {
        let store = try openStore()
        setLanguage(language: .spanish)
        defer { setLanguage(language: .english) }
        do {
            _ = try await store.local { [participant] in
                try $0.createCheckIn(record: CheckIn(participantId: participant, at: "2026-11-23T08:15:00Z", mood: 9))
            }
            XCTFail("a mood of 9 was taken")
        } catch {
            guard case let .field(field, reason) = Problem(error) else { return XCTFail("not a field: \(error)") }
            XCTAssertEqual(field, "mood")
            XCTAssertFalse(reason.isEmpty)
        }
    }

    func testTemplatesFillLikeTheCores() {
        XCTAssertEqual("Hello, {name}".fill(("name", "Ana")), "Hello, Ana")
        XCTAssertEqual("{n} day|{n} days".plural(1), "1 day")
        XCTAssertEqual("{n} day|{n} days".plural(3), "3 days")
        XCTAssertEqual(readable("18006624357"), "1-800-662-4357")
        XCTAssertEqual(readable("988"), "988")
    }

    func testTheSyncLineSaysRefusalsFirstThenWhatWaits() {
        func status(_ state: SyncState, pending: UInt64) -> SyncStatus {
            SyncStatus(state: state, pending: pending, lastSuccess: nil, pushed: 0, pulled: 0)
        }
        XCTAssertEqual(SyncLine(status(.idle, pending: 3), refused: 1), .refused(1))
        XCTAssertEqual(SyncLine(status(.signedOut, pending: 3), refused: 0), .signedOut)
        XCTAssertEqual(SyncLine(status(.offline, pending: 3), refused: 0), .waiting(3))
        XCTAssertEqual(SyncLine(status(.syncing, pending: 0), refused: 0), .syncing)
        XCTAssertEqual(SyncLine(status(.idle, pending: 0), refused: 0), .saved(lastSynced: nil))
    }

    func testTimesOfDayAreTypedAsPeopleTypeThem() throws {
        XCTAssertEqual(try typedTime("7:05", field: "check_in_time", reason: "H:MM"), LocalTime(hour: 7, minute: 5))
        XCTAssertEqual(LocalTime(hour: 20, minute: 0).typed, "20:00")
        XCTAssertThrowsError(try typedTime("7.05", field: "check_in_time", reason: "H:MM"))
    }

    func testTypedDatesAndNumbers() throws {
        XCTAssertEqual(try typedDate(" 2026-11-23 ", field: "start_date", reason: "a date"), "2026-11-23")
        XCTAssertNil(try typedDate("  ", field: "start_date", reason: "a date"))
        XCTAssertThrowsError(try typedDate("2026-02-30", field: "start_date", reason: "a date")) { error in
            XCTAssertEqual(Problem(error), .field("start_date", reason: "a date"))
        }
        XCTAssertEqual(typedNumber("7"), 7)
        XCTAssertEqual(typedNumber("99999999999999999999"), Int64.max)
        XCTAssertNil(typedNumber(""))
    }

    func testTheNavigatorIsAStack() {
        let navigator = Navigator(start: .signIn)
        navigator.go(.crisis)
        XCTAssertEqual(navigator.current, .crisis)
        XCTAssertTrue(navigator.back())
        XCTAssertFalse(navigator.back())
        navigator.reset(.today)
        XCTAssertEqual(navigator.screens, [.today])
    }

    func testNobodySignedInOpensOnSignIn() async throws {
        let app = AppModel(store: try openStore(), platform: FakePlatform(), language: .english)
        await app.start()
        XCTAssertEqual(app.navigator.current, .signIn)
        XCTAssertNil(app.account)
    }

    func testSigningInWithNoServerSaysOfflineAndKeepsWhatWasTyped() async throws {
        let app = AppModel(store: try openStore(), platform: FakePlatform(), language: .english)
        app.store.core.setNetworkAvailable(available: true)
        let model = SignInModel(session: app)
        model.edit { $0.username = "ana"; $0.password = "a long passphrase" }
        model.signIn()
        try await eventually("a problem") { model.form.problem != nil }
        XCTAssertEqual(model.form.problem, .offline)
        XCTAssertEqual(model.form.username, "ana")
        XCTAssertFalse(model.form.busy)
    }

    func testTodayShowsACheckInOnceSaved() async throws {
        let store = try openStore()
        _ = try await store.local { [participant] in
            try $0.setUpParticipant(profile: Profile(participantId: participant, displayName: "Ana", timezone: "America/Chicago"))
        }
        let model = TodayModel(store: store, participantId: participant)
        try await eventually("today read") { model.today != nil }
        XCTAssertNil(model.today?.lastCheckIn)
        model.editCheckIn { $0.mood = 4 }
        model.saveCheckIn()
        try await eventually("the check-in shown") { model.today?.lastCheckIn?.mood == 4 }
        XCTAssertTrue(model.checkIn.saved)
    }

    func testABadStartDateIsRefusedInTheCoresWords() async throws {
        let app = AppModel(store: try openStore(), platform: FakePlatform(), language: .english)
        let model = StartAgainModel(session: app, participantId: participant)
        model.edit("23/11/2026")
        model.start()
        try await eventually("a problem") { model.form.problem != nil }
        XCTAssertEqual(model.form.problem, .field("start_date", reason: app.words.reasons.date))
    }
}

/// The platform, remembered instead of done.
final class FakePlatform: Platform, @unchecked Sendable {
    private let lock = NSLock()
    private(set) var calls: [String] = []
    private(set) var scheduled: [[Reminder]] = []

    func call(_ number: String) {
        lock.lock()
        calls.append("tel:\(number)")
        lock.unlock()
    }

    func text(_ number: String, body: String?) {
        lock.lock()
        calls.append("sms:\(number)")
        lock.unlock()
    }

    func export(fileName: String, json: String) throws -> String { fileName }

    func schedule(_ reminders: [Reminder]) {
        lock.lock()
        scheduled.append(reminders)
        lock.unlock()
    }

    func replaceDatabaseKey(_ rekey: (Data) throws -> Void) throws {
        try rekey(Data((0..<32).map { _ in UInt8.random(in: 0...255) }))
    }
}
