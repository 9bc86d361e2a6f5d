using MessagePack;
using MessagePack.Resolvers;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;

namespace Orchestrator.Bench.Wire;

/// <summary>
/// <c>orch-bench wire [--rounds N]</c>: encoding and decoding the wire's messages with the compile-time formatters
/// (<see cref="WireResolver"/>, what the product uses) against MessagePack's dynamic resolver (what it used before), on one
/// thread: a test.ping return, a state.apply return of 20 states, and an envelope.
/// </summary>
public static class WireCodecBench
{
    private static readonly MessagePackSerializerOptions Dynamic = MessagePackSerializerOptions.Standard
        .WithResolver(StandardResolver.Instance)
        .WithSecurity(MessagePackSecurity.UntrustedData);

    public static int Run(string[] args)
    {
        var i = Array.IndexOf(args, "--rounds");
        var rounds = i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : 20_000;
        var ping = new JobReturn { Jid = "20261202010000000001", Function = "test.ping", Return = true, Success = true, StartedAt = 1, DurationMs = 0.2 };
        var apply = new JobReturn { Jid = "20261202010000000002", Function = "state.apply", Return = StateRun(20), Success = true, Retcode = 0 };
        var envelope = new Envelope { Kind = MessageType.JobReturn, SenderId = "web1", Timestamp = 1, Nonce = new byte[12], Body = new byte[300] };

        Console.WriteLine($"| one message, {rounds} rounds each | µs |");
        Console.WriteLine("|---|--:|");
        Compare("test.ping return", ping, rounds);
        Compare("state.apply return, 20 states", apply, rounds / 10);
        Compare("envelope, 300-byte body", envelope, rounds);
        return 0;
    }

    private static void Compare<T>(string what, T message, int rounds)
    {
        var bytes = WireCodec.Serialize(message);
        var encoded = MicroTimer.Row($"{what}: encode, generated", rounds, () => WireCodec.Serialize(message));
        var encodedBefore = MicroTimer.Row($"{what}: encode, dynamic (before)", rounds, () => MessagePackSerializer.Serialize(message, Dynamic));
        var decoded = MicroTimer.Row($"{what}: decode and normalize, generated", rounds, () => Normalize(WireCodec.Deserialize<T>(bytes)));
        var decodedBefore = MicroTimer.Row($"{what}: decode and normalize, dynamic (before)", rounds,
            () => Normalize(MessagePackSerializer.Deserialize<T>(bytes, Dynamic)));
        Console.WriteLine($"| **{what}: encode {encoded / encodedBefore:P0}, decode {decoded / decodedBefore:P0} of before** | {bytes.Length} bytes |");
    }

    // What the master does with a return's data after decoding it.
    private static object? Normalize<T>(T message) => message is JobReturn ret ? WireCodec.ToData(ret.Return) : message;

    private static Dictionary<string, object?> StateRun(int states)
    {
        var run = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < states; i++)
        {
            run[$"file_|-file{i}_|-/etc/app/file{i}.conf_|-managed"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["name"] = $"/etc/app/file{i}.conf",
                ["result"] = true,
                ["comment"] = "File /etc/app/file.conf is in the correct state",
                ["changes"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["diff"] = "--- \n+++ \n@@ -1 +1 @@\n-a\n+b\n" },
                ["__run_num__"] = (long)i,
                ["start_time"] = "01:00:00.000000",
                ["duration"] = 0.412,
                ["__id__"] = $"file{i}",
            };
        }
        return run;
    }
}
