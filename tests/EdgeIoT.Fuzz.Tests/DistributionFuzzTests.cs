using CsCheck;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Protocol.Crypto;

namespace EdgeIoT.Fuzz.Tests;

/// <summary>
/// What the hub distributes over MQTT in binary: the signed key list and the entitlement
/// snapshot. A damaged copy must be refused with a reason and leave the device as it was.
/// </summary>
public sealed class DistributionFuzzTests : IDisposable
{
    private readonly Corpus _corpus = new();

    [Fact]
    public void KeyList_MutatedList_Rejected()
    {
        string original = Convert.ToHexString(_corpus.SignedKeyList);
        Mutator.Mutants([_corpus.SignedKeyList]).Sample(list =>
        {
            ParserProbe.Run("KeyList.TryParseSigned", list, () =>
            {
                KeyList? keys = KeyList.TryParseSigned(list, _corpus.Root.PublicKey, NSecSignatureVerifier.Instance, out string? error);
                if (keys is null)
                {
                    Assert.False(string.IsNullOrWhiteSpace(error));
                    return;
                }

                Assert.Equal(original, Convert.ToHexString(list));
            });
        }, iter: FuzzBudget.Iterations(10_000));
    }

    [Fact]
    public void Snapshot_MutatedBytes_ParseOrReject()
    {
        Mutator.Mutants(Corpus.Snapshots).Sample(bytes =>
        {
            ParserProbe.Run("EntitlementSnapshot.TryParse", bytes, () =>
            {
                EntitlementSnapshot? snapshot = EntitlementSnapshot.TryParse(bytes, out string? error);
                if (snapshot is null)
                {
                    Assert.False(string.IsNullOrWhiteSpace(error));
                    return;
                }

                Assert.Equal(EntitlementSnapshot.HeaderLength + (snapshot.Count * EntitlementSnapshot.RecordLength), bytes.Length);
            });
        }, iter: FuzzBudget.Iterations(20_000));
    }

    [Fact]
    public void Snapshot_HugeCount_RejectedCheaply()
    {
        byte[] header = Corpus.Snapshots[1];
        byte[] lying = (byte[])header.Clone();
        lying[9] = 0x7F;
        lying[10] = 0xFF;
        lying[11] = 0xFF;
        lying[12] = 0xFF;

        ParserProbe.Run("EntitlementSnapshot.TryParse", lying, () =>
        {
            Assert.Null(EntitlementSnapshot.TryParse(lying, out string? error));
            Assert.False(string.IsNullOrWhiteSpace(error));
        });
    }

    public void Dispose() => _corpus.Dispose();
}
