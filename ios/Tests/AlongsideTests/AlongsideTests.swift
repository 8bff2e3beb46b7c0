import Foundation
import XCTest

@testable import Alongside

/// The bindings from Swift, against the real library (no server: sync is off).
final class AlongsideTests: XCTestCase {
    private let participant = "6d3f4c1e-8a52-4b7e-9c1d-2f0a7b5e9d31"

    private func openPhone() throws -> Companion {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString + ".db").path
        let key = Data((0..<32).map { _ in UInt8.random(in: 0...255) })
        let phone = try Companion.open(path: path, key: key, serverUrl: "http://127.0.0.1:9", deviceName: "swift-test")
        phone.setNetworkAvailable(available: false)
        return phone
    }

    func testAGoalIsStoredListedAndWaitsToBeSent() throws {
        let phone = try openPhone()
        let goal = try phone.createGoal(record: Goal(
            participantId: participant, title: "Walk the kids to school", area: .parenting, status: .active))
        XCTAssertFalse(goal.id.isEmpty)
        XCTAssertEqual(try phone.listGoals(participantId: participant).map(\.title), ["Walk the kids to school"])
        XCTAssertEqual(try phone.pendingCount(), 1)
    }

    func testValidationErrorsNameTheField() throws {
        let phone = try openPhone()
        XCTAssertThrowsError(try phone.createCheckIn(record: CheckIn(
            participantId: participant, at: "2026-11-23T08:15:00Z", mood: 9))) { error in
            guard case AlongsideError.Validation(let field, _) = error else {
                return XCTFail("expected a validation error, got \(error)")
            }
            XCTAssertEqual(field, "mood")
        }
    }

    func testCrisisLinesNeedNoDatabase() {
        XCTAssertTrue(crisisResources().contains { $0.name.contains("988") })
    }
}
