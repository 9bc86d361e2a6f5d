using System.Security.Cryptography;
using Orchestrator.Master.Keys;
using Orchestrator.Testing;

namespace Orchestrator.Master.Tests.Keys;

public class KeyStoreTests : IDisposable
{
    private static readonly Lazy<string> LazyKeyA = new(() => NewPem());
    private static readonly Lazy<string> LazyKeyB = new(() => NewPem());

    private readonly TempDir _dir = Some.TempDir();
    private readonly KeyStore _store;

    public KeyStoreTests()
    {
        _store = new KeyStore(_dir.Combine("pki"));
    }

    private static string KeyA => LazyKeyA.Value;

    private static string KeyB => LazyKeyB.Value;

    private static string NewPem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportSubjectPublicKeyInfoPem();
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Constructor_CreatesSaltFolders()
    {
        foreach (var folder in new[] { "minions", "minions_pre", "minions_rejected", "minions_denied" })
        {
            Assert.True(Directory.Exists(_dir.Combine("pki", folder)), folder);
        }
    }

    [Fact]
    public void Observe_NewId_IsPending()
    {
        Assert.Equal(KeyState.Pending, _store.Observe("web1", KeyA, autoAccept: false));

        Assert.Equal(["web1"], _store.List(KeyState.Pending));
        Assert.Equal(KeyA, _store.Read(KeyState.Pending, "web1"));
        Assert.Equal(KeyState.Pending, _store.StateOf("web1"));
    }

    [Fact]
    public void Observe_NewIdWithAutoAccept_IsAccepted()
    {
        Assert.Equal(KeyState.Accepted, _store.Observe("web1", KeyA, autoAccept: true));

        Assert.Equal(["web1"], _store.List(KeyState.Accepted));
        Assert.Empty(_store.List(KeyState.Pending));
    }

    [Fact]
    public void Observe_PendingIdWithAutoAccept_MovesToAccepted()
    {
        _store.Observe("web1", KeyA, autoAccept: false);

        Assert.Equal(KeyState.Accepted, _store.Observe("web1", KeyA, autoAccept: true));
        Assert.Empty(_store.List(KeyState.Pending));
    }

    [Fact]
    public void Observe_SameKeyAgain_KeepsState()
    {
        _store.Observe("web1", KeyA, autoAccept: false);
        Assert.Equal(KeyState.Pending, _store.Observe("web1", KeyA, autoAccept: false));

        _store.Move("web1", KeyState.Accepted, KeyState.Pending);
        Assert.Equal(KeyState.Accepted, _store.Observe("web1", KeyA, autoAccept: false));

        _store.Move("web1", KeyState.Rejected, KeyState.Accepted);
        Assert.Equal(KeyState.Rejected, _store.Observe("web1", KeyA, autoAccept: true));
    }

    [Fact]
    public void Observe_SameKeyWithCrlf_KeepsAccepted()
    {
        _store.Observe("web1", KeyA, autoAccept: true);

        Assert.Equal(KeyState.Accepted, _store.Observe("web1", KeyA.Replace("\n", "\r\n"), autoAccept: false));
    }

    [Fact]
    public void Observe_DifferentKeyForAcceptedId_IsDeniedAndAcceptedKeyKept()
    {
        _store.Observe("web1", KeyA, autoAccept: true);

        Assert.Equal(KeyState.Denied, _store.Observe("web1", KeyB, autoAccept: true));

        Assert.Equal(KeyA, _store.Read(KeyState.Accepted, "web1"));
        Assert.Equal(KeyB, _store.Read(KeyState.Denied, "web1"));
        Assert.Equal(KeyState.Accepted, _store.StateOf("web1"));
    }

    [Fact]
    public void Observe_DifferentKeyForRejectedId_IsDenied()
    {
        _store.Observe("web1", KeyA, autoAccept: false);
        _store.Move("web1", KeyState.Rejected, KeyState.Pending);

        Assert.Equal(KeyState.Denied, _store.Observe("web1", KeyB, autoAccept: true));
        Assert.Equal(KeyA, _store.Read(KeyState.Rejected, "web1"));
    }

    [Fact]
    public void Observe_DifferentKeyForPendingId_IsDeniedAndPendingKeyKept()
    {
        _store.Observe("web1", KeyA, autoAccept: false);

        Assert.Equal(KeyState.Denied, _store.Observe("web1", KeyB, autoAccept: false));

        Assert.Equal(KeyA, _store.Read(KeyState.Pending, "web1"));
        Assert.Equal(KeyB, _store.Read(KeyState.Denied, "web1"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("../minions/evil")]
    [InlineData("a/b")]
    [InlineData("a\0b")]
    public void Observe_InvalidId_Throws(string id)
    {
        Assert.Throws<ArgumentException>(() => _store.Observe(id, KeyA, autoAccept: true));
        Assert.Empty(Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void MoveAndDelete_InvalidId_Throw()
    {
        Assert.Throws<ArgumentException>(() => _store.Move("../x", KeyState.Accepted, KeyState.Pending));
        Assert.Throws<ArgumentException>(() => _store.Delete("../x"));
    }

    [Fact]
    public void ReadAndStateOf_InvalidId_ReturnNull()
    {
        Assert.Null(_store.Read(KeyState.Accepted, "../minions_pre/x"));
        Assert.Null(_store.StateOf("a/b"));
    }

    [Fact]
    public void Move_FromFirstExistingState_MovesKey()
    {
        _store.Observe("web1", KeyA, autoAccept: false);

        Assert.True(_store.Move("web1", KeyState.Accepted, KeyState.Rejected, KeyState.Pending));

        Assert.Equal(KeyA, _store.Read(KeyState.Accepted, "web1"));
        Assert.Null(_store.Read(KeyState.Pending, "web1"));
    }

    [Fact]
    public void Move_NotInAnySourceState_ReturnsFalse()
    {
        _store.Observe("web1", KeyA, autoAccept: true);

        Assert.False(_store.Move("web1", KeyState.Rejected, KeyState.Pending));
        Assert.False(_store.Move("unknown", KeyState.Accepted, KeyState.Pending));
        Assert.Equal(KeyState.Accepted, _store.StateOf("web1"));
    }

    [Fact]
    public void Delete_RemovesEveryState()
    {
        _store.Observe("web1", KeyA, autoAccept: true);
        _store.Observe("web1", KeyB, autoAccept: true);

        Assert.True(_store.Delete("web1"));

        Assert.Null(_store.StateOf("web1"));
        Assert.Empty(_store.List(KeyState.Denied));
        Assert.False(_store.Delete("web1"));
    }

    [Fact]
    public void List_SortsOrdinallyAndSkipsInvalidFileNames()
    {
        _store.Observe("web2", KeyA, autoAccept: false);
        _store.Observe("Web1", KeyA, autoAccept: false);
        _store.Observe("db1", KeyA, autoAccept: false);
        File.WriteAllText(_dir.Combine("pki", "minions_pre", "bad name"), KeyA);

        Assert.Equal(["Web1", "db1", "web2"], _store.List(KeyState.Pending));
    }

    [Fact]
    public void Observe_NewIdsPastMaxPending_AreRefusedEvenConcurrently_KnownOnesStillAnswer()
    {
        var refused = 0;
        Parallel.For(0, 40, i =>
        {
            try
            {
                _store.Observe($"m{i}", KeyA, autoAccept: false, maxPending: 10);
            }
            catch (PendingKeysFullException)
            {
                Interlocked.Increment(ref refused);
            }
        });

        Assert.Equal(30, refused);
        Assert.Equal(10, _store.Count(KeyState.Pending));
        var known = _store.List(KeyState.Pending)[0];
        Assert.Equal(KeyState.Pending, _store.Observe(known, KeyA, autoAccept: false, maxPending: 10));
        Assert.Equal(KeyState.Accepted, _store.Observe("auto1", KeyB, autoAccept: true, maxPending: 10));
    }
}
