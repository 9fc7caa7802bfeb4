using EdgeIoT.EdgeAgent.Decisions;
using EdgeIoT.Firmware.App;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hardware;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Tokens.Tests;

/// <summary>
/// Assistant tokens that carry a 4-byte certificate reference, checked against the delegation
/// list the hub publishes, and the embedded form that any gate can still check.
/// </summary>
public sealed class DelegationListTests
{
    [Fact]
    public async Task Esp32_ReferenceWithoutList_ResyncsAndAdmits()
    {
        await using TestVenue venue = await TestVenue.StartAsync();
        uint assistant = await venue.AddAssistantAsync();
        await using FirmwareGate gate = await StartSyncedGateAsync(venue);
        string token = await venue.AssistantTokenAsync(assistant, "reference");

        FirmwareDecision first = gate.Scan(token);
        await gate.WaitUntilAsync(() => gate.App.DelegationCount > 0, "the delegation list the hub sends back");
        FirmwareDecision second = gate.Scan(token);

        Assert.Equal(RejectReason.DelegationUnknown, first.Reason);
        Assert.Equal(1, gate.App.ResyncRequestsSent);
        Assert.True(second.Admitted, $"second scan was denied as {RejectReasons.ToCode(second.Reason)}");
        Assert.Equal(TokenLayout.TotalLength + DelegationCertificate.ReferenceLength, Decode(token).Length);
    }

    [Fact]
    public async Task Esp32_EmbeddedCertificate_AdmittedWithoutList()
    {
        await using TestVenue venue = await TestVenue.StartAsync();
        uint assistant = await venue.AddAssistantAsync();
        await using FirmwareGate gate = await StartSyncedGateAsync(venue);
        string token = await venue.AssistantTokenAsync(assistant, "certificate");

        FirmwareDecision decision = gate.Scan(token);

        Assert.True(decision.Admitted, $"scan was denied as {RejectReasons.ToCode(decision.Reason)}");
        Assert.Equal(0, gate.App.ResyncRequestsSent);
        Assert.Equal(TokenLayout.TotalLength + DelegationCertificate.TotalLength, Decode(token).Length);
    }

    [Fact]
    public async Task Agent_ReferenceToken_AdmittedFromRetainedList()
    {
        await using TestVenue venue = await TestVenue.StartAsync();
        await using AgentLane lane = await AgentLane.StartAsync(venue, "lane-1");
        uint assistant = await venue.AddAssistantAsync();
        await lane.WaitUntilAsync(() => lane.State.Verifier.Delegations.Count > 0, "the retained delegation list");
        string token = await venue.AssistantTokenAsync(assistant, "reference");

        AgentDecision? decision = await lane.Pipeline.DecideAsync(
            new ScanRead(token, ScanSource.Qr, System.Diagnostics.Stopwatch.GetTimestamp()), CancellationToken.None);

        Assert.NotNull(decision);
        Assert.True(decision.Admitted, $"scan was denied as {RejectReasons.ToCode(decision.Reason)}");
        Assert.Equal(DecisionModes.Online, decision.Mode);
    }

    [Fact]
    public async Task AssistantToken_UnknownForm_BadRequestNamingValue()
    {
        await using TestVenue venue = await TestVenue.StartAsync();
        uint assistant = await venue.AddAssistantAsync();

        HttpResponseMessage response = await venue.Http.PostAsync($"/api/assistants/{assistant}/token?form=short", null);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("form 'short' is invalid", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<FirmwareGate> StartSyncedGateAsync(TestVenue venue)
    {
        FirmwareGate gate = await FirmwareGate.StartAsync(venue, "esp32-1");
        Assert.True(gate.App.OnMessage(Topics.Keys(gate.Venue), venue.Keys.SignedKeyList));
        await gate.WaitUntilAsync(
            () => gate.App.ClockSynchronized && gate.App.SnapshotVersion > 0 && gate.App.PolicyVersion is not null,
            "a time beacon, the snapshot and the policy");
        return gate;
    }

    private static byte[] Decode(string token)
    {
        Assert.Equal(RejectReason.None, QrText.TryDecode(token, out byte[] bytes));
        return bytes;
    }
}
