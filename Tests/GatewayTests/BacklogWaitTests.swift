import MQTT
import Testing

/// When the network thread waits for a few kilobytes rather than the first byte: only while a
/// backlog streams in.
@Suite struct BacklogWaitTests {
    @Test func raisedOnlyAfterABacklogsWorthWasReadSinceTheLastWait() {
        var wait = BacklogWait(bytesRead: 10_000)
        let raised = [
            // A message or two since the last wait: wake for the first byte.
            wait.waitForMore(bytesRead: 10_200),
            wait.waitForMore(bytesRead: 10_200),
            // Forty readings or more came since: wait for more before reading.
            wait.waitForMore(bytesRead: 10_200 + BacklogWait.backlogBytes),
            wait.waitForMore(bytesRead: 10_200 + 3 * BacklogWait.backlogBytes),
            // The backlog thins out: back to the first byte.
            wait.waitForMore(bytesRead: 10_300 + 3 * BacklogWait.backlogBytes),
        ]
        #expect(raised == [false, false, true, true, false])
        #expect(!wait.raised)
    }
}
