using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;

namespace Orchestrator.Shared.Tests.Protocol;

public class MessagesTests
{
    private static T RoundTrip<T>(T message) => WireCodec.Deserialize<T>(WireCodec.Serialize(message));

    private static Dictionary<string, object?> Nested() => new(StringComparer.Ordinal)
    {
        ["name"] = "web1",
        ["count"] = 3,
        ["ratio"] = 0.5,
        ["enabled"] = true,
        ["none"] = null,
        ["list"] = new List<object?> { 1, "two", new Dictionary<string, object?> { ["three"] = 3L } },
        ["map"] = new Dictionary<string, object?> { ["inner"] = new List<object?> { false } },
    };

    private static void AssertNested(object? value)
    {
        var map = Assert.IsType<Dictionary<string, object?>>(WireCodec.ToData(value));
        Assert.Equal(["name", "count", "ratio", "enabled", "none", "list", "map"], map.Keys);
        Assert.Equal("web1", map["name"]);
        Assert.Equal(3L, map["count"]);
        Assert.Equal(0.5, map["ratio"]);
        Assert.Equal(true, map["enabled"]);
        Assert.Null(map["none"]);
        var list = Assert.IsType<List<object?>>(map["list"]);
        Assert.Equal(1L, list[0]);
        Assert.Equal("two", list[1]);
        Assert.Equal(3L, Assert.IsType<Dictionary<string, object?>>(list[2])["three"]);
        var inner = Assert.IsType<Dictionary<string, object?>>(map["map"]);
        Assert.Equal([false], Assert.IsType<List<object?>>(inner["inner"]));
    }

    [Fact]
    public void JobPublish_RoundTrip_KeepsFieldsAndNormalizesNestedArgs()
    {
        var message = new JobPublish
        {
            Jid = "20260101000000000001",
            Function = "test.arg",
            Args = [1, "x", Nested()],
            Kwargs = new() { ["opts"] = Nested() },
            Target = "web*",
            TargetType = "glob",
            User = "root",
            Timeout = 5,
            Nodegroups = new() { ["web"] = "L@web1,web2" },
        };

        var decoded = RoundTrip(message);

        Assert.Equal(("20260101000000000001", "test.arg", "web*", "glob", "root", 5),
            (decoded.Jid, decoded.Function, decoded.Target, decoded.TargetType, decoded.User, decoded.Timeout));
        var args = WireCodec.ToList(decoded.Args);
        Assert.Equal(1L, args[0]);
        Assert.Equal("x", args[1]);
        AssertNested(args[2]);
        AssertNested(WireCodec.ToMap(decoded.Kwargs)["opts"]);
        Assert.Equal("L@web1,web2", decoded.Nodegroups["web"]);
    }

    [Fact]
    public void JobReturn_NestedReturn_NormalizesToDataModel()
    {
        var message = new JobReturn
        {
            Jid = "1", Function = "grains.items", Return = Nested(), Retcode = 2, Success = false,
            StartedAt = 1_700_000_000_000, DurationMs = 12.5, OutputHint = "nested",
        };

        var decoded = RoundTrip(message);

        AssertNested(decoded.Return);
        Assert.Equal((2, false, 1_700_000_000_000L, 12.5, "nested"),
            (decoded.Retcode, decoded.Success, decoded.StartedAt, decoded.DurationMs, decoded.OutputHint));
    }

    [Theory]
    [InlineData("text")]
    [InlineData(42L)]
    [InlineData(true)]
    [InlineData(null)]
    public void JobReturn_ScalarReturn_RoundTrips(object? value)
    {
        var decoded = RoundTrip(new JobReturn { Return = value });

        Assert.Equal(value, WireCodec.ToData(decoded.Return));
    }

    [Fact]
    public void JobReturn_ListReturn_NormalizesToList()
    {
        var decoded = RoundTrip(new JobReturn { Return = new List<object?> { "a", new List<object?> { 1 } } });

        var list = WireCodec.ToList(decoded.Return);
        Assert.Equal("a", list[0]);
        Assert.Equal([1L], Assert.IsType<List<object?>>(list[1]));
    }

    [Fact]
    public void ToMap_IntegerKeys_BecomeStrings()
    {
        var decoded = RoundTrip(new JobReturn { Return = new Dictionary<object, object?> { [1] = "one", [true] = "yes" } });

        var map = WireCodec.ToMap(decoded.Return);
        Assert.Equal("one", map["1"]);
        Assert.Equal("yes", map["True"]);
    }

    [Fact]
    public void EventFire_RoundTrip_KeepsTagAndData()
    {
        var decoded = RoundTrip(new EventFire { Tag = "custom/tag", Data = Nested() });

        Assert.Equal("custom/tag", decoded.Tag);
        AssertNested(decoded.Data);
    }

    [Fact]
    public void MinionStart_RoundTrip_KeepsGrains()
    {
        AssertNested(RoundTrip(new MinionStart { Grains = Nested() }).Grains);
    }

    [Fact]
    public void PillarRequestAndResponse_RoundTrip()
    {
        var request = RoundTrip(new PillarRequest { Saltenv = "prod", Override = Nested() });
        var response = RoundTrip(new PillarResponse { Pillar = Nested(), Errors = ["bad sls"] });

        Assert.Equal("prod", request.Saltenv);
        AssertNested(request.Override);
        AssertNested(response.Pillar);
        Assert.Equal(["bad sls"], response.Errors);
    }

    [Fact]
    public void AuthMessages_RoundTrip()
    {
        var hello = RoundTrip(new AuthHello { MinionId = "web1", PublicKeyPem = "PEM" });
        var challenge = RoundTrip(new AuthChallenge { Status = "accepted", Challenge = [1, 2], MasterPublicKeyPem = "M", Message = "m" });
        var proof = RoundTrip(new AuthProof { MinionId = "web1", Challenge = [3], Signature = [4, 5] });
        var result = RoundTrip(new AuthResult
        {
            Status = "accepted", EncryptedMinionKey = [6], EncryptedSessionKey = [7], SessionKeyGeneration = 9, Message = "ok", Challenge = [8],
        });

        Assert.Equal(("web1", "PEM"), (hello.MinionId, hello.PublicKeyPem));
        Assert.Equal(("accepted", "M", "m"), (challenge.Status, challenge.MasterPublicKeyPem, challenge.Message));
        Assert.Equal([1, 2], challenge.Challenge);
        Assert.Equal([4, 5], proof.Signature);
        Assert.Equal([3], proof.Challenge);
        Assert.Equal((9, "ok"), (result.SessionKeyGeneration, result.Message));
        Assert.Equal([6], result.EncryptedMinionKey);
        Assert.Equal([7], result.EncryptedSessionKey);
        Assert.Equal([8], result.Challenge);
    }

    [Fact]
    public void FileMessages_RoundTrip()
    {
        var request = RoundTrip(new FileRequest { Path = "top.sls", Saltenv = "base" });
        var response = RoundTrip(new FileResponse { Found = true, Contents = [1, 2, 3], Sha256 = "abc", Error = "" });
        var list = RoundTrip(new FileListResponse { Files = ["a.sls", "b/c.sls"] });
        var listRequest = RoundTrip(new FileListRequest { Saltenv = "dev" });

        Assert.Equal(("top.sls", "base"), (request.Path, request.Saltenv));
        Assert.True(response.Found);
        Assert.Equal([1, 2, 3], response.Contents);
        Assert.Equal("abc", response.Sha256);
        Assert.Equal(["a.sls", "b/c.sls"], list.Files);
        Assert.Equal("dev", listRequest.Saltenv);
    }

    [Fact]
    public void SmallMessages_RoundTrip()
    {
        Assert.Equal(4, RoundTrip(new Heartbeat { RunningJobs = 4 }).RunningJobs);
        Assert.Equal("j1", RoundTrip(new JobAck { Jid = "j1" }).Jid);
        Assert.Equal("j2", RoundTrip(new ReturnAck { Jid = "j2" }).Jid);
        Assert.Equal("boom", RoundTrip(new ErrorMessage { Message = "boom" }).Message);
        var key = RoundTrip(new SessionKeyResponse { Generation = 3, Key = [1, 2] });
        Assert.Equal(3, key.Generation);
        Assert.Equal([1, 2], key.Key);
    }

    [Fact]
    public void Deserialize_BodyOfOtherMessageShape_ThrowsWireFormatException()
    {
        var bytes = WireCodec.Serialize(new FileListResponse { Files = ["a"] });

        Assert.Throws<WireFormatException>(() => WireCodec.Deserialize<JobReturn>(bytes));
    }
}
