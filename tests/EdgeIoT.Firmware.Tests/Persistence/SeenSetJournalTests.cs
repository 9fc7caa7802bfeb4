using EdgeIoT.Firmware.Persistence;
using EdgeIoT.Firmware.Tests.Queue;
using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.Firmware.Tests.Persistence;

public class SeenSetJournalTests
{
    private const uint Now = 1_800_000_000;

    [Fact]
    public void Journal_AfterRemount_LoadsEveryAdmittedToken()
    {
        var flash = new RamFlashStorage(256, 4);
        var journal = new SeenSetJournal(flash, minimumEntries: 10);
        for (ulong id = 1; id <= 5; id++)
        {
            journal.Append(id, Now + 125, Now);
        }

        var seen = new SeenSet(16);
        int loaded = new SeenSetJournal(flash, minimumEntries: 10).LoadInto(seen);

        Assert.Equal(5, loaded);
        for (ulong id = 1; id <= 5; id++)
        {
            Assert.True(seen.Contains(id, Now));
        }

        Assert.False(seen.Contains(6, Now));
    }

    [Fact]
    public void Journal_BankFull_CompactsAndDropsExpiredEntries()
    {
        var flash = new RamFlashStorage(256, 4);
        var journal = new SeenSetJournal(flash, minimumEntries: 10);
        int perBank = journal.EntriesPerBank;
        for (int i = 0; i < perBank; i++)
        {
            // Even ids expire before the compaction time, odd ids after it.
            uint keepUntil = i % 2 == 0 ? Now + 10 : Now + 500;
            journal.Append((ulong)i + 1, keepUntil, Now);
        }

        journal.Append(1000, Now + 600, Now + 100);

        int live = (perBank / 2) + 1;
        Assert.Equal(live, journal.EntriesInBank);
        var seen = new SeenSet(64);
        Assert.Equal(live, new SeenSetJournal(flash, minimumEntries: 10).LoadInto(seen));
        Assert.True(seen.Contains(1000, Now + 100));
        Assert.True(seen.Contains(2, Now + 100));
        Assert.False(seen.Contains(1, Now + 100));
    }

    [Fact]
    public void Journal_AllEntriesLive_KeepsNewestWithinBound()
    {
        var flash = new RamFlashStorage(256, 4);
        var journal = new SeenSetJournal(flash, minimumEntries: 10);
        int perBank = journal.EntriesPerBank;
        for (int i = 0; i < perBank * 3; i++)
        {
            journal.Append((ulong)i + 1, Now + 1000, Now);
        }

        var seen = new SeenSet(64);
        int loaded = new SeenSetJournal(flash, minimumEntries: 10).LoadInto(seen);

        Assert.True(loaded <= perBank);
        Assert.True(seen.Contains((ulong)perBank * 3, Now));
        Assert.False(seen.Contains(1, Now));
    }

    [Fact]
    public void Journal_PowerLoss_KeepsCompletedAppends()
    {
        var pristine = new RamFlashStorage(256, 4);
        var setup = new SeenSetJournal(pristine, minimumEntries: 10);
        int perBank = setup.EntriesPerBank;

        // The scenario crosses one compaction: perBank + 3 appends. The first five tokens
        // have expired by then, so the compaction has room and drops nothing live.
        for (long budget = 0; budget < 2000; budget += 7)
        {
            RamFlashStorage flash = pristine.Clone();
            var journal = new SeenSetJournal(flash, minimumEntries: 10);
            flash.Budget = budget;
            ulong completed = 0;
            try
            {
                for (ulong id = 1; id <= (ulong)perBank + 3; id++)
                {
                    journal.Append(id, id <= 5 ? Now - 1 : Now + 1000, Now);
                    completed = id;
                }
            }
            catch (PowerLossException)
            {
            }

            flash.Budget = null;
            var seen = new SeenSet(64);
            new SeenSetJournal(flash, minimumEntries: 10).LoadInto(seen);
            for (ulong id = 6; id <= completed; id++)
            {
                Assert.True(seen.Contains(id, Now), $"token {id} lost with a power cut after {budget} bytes");
            }
        }
    }

    [Fact]
    public void Journal_BankTooSmall_IsRejectedWithSizes()
    {
        var error = Assert.Throws<ArgumentException>(() => new SeenSetJournal(new RamFlashStorage(256, 2), minimumEntries: 512));

        Assert.Contains("holds 12 entries but 512 are needed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Journal_OddSectorCount_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => new SeenSetJournal(new RamFlashStorage(256, 3), minimumEntries: 1));
    }
}
