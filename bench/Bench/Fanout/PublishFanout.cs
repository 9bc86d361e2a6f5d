using System.Diagnostics;
using System.Globalization;
using NetMQ;
using NetMQ.Sockets;

namespace Orchestrator.Bench.Fanout;

/// <summary>
/// <c>orch-bench fanout 500,1000,2000,4000</c>: the cost of one NetMQ PUB send as the number of subscribers grows, with the
/// master's subscriptions (every SUB on <c>all/</c> and on its own <c>m/&lt;id&gt;/</c>), no protocol and no master. It
/// isolates the transport limit behind the master's publish thread: the distributor finds each matching pipe with a list
/// search, so a broadcast costs time quadratic in the number of subscribers.
/// </summary>
public static class PublishFanout
{
    private const int Broadcasts = 10;
    private const int TopicSends = 1000;

    public static int Run(string sizes)
    {
        Console.WriteLine("| subscribers | broadcast to all/ (ms per publish) | one m/<id>/ topic (µs per publish) |");
        Console.WriteLine("|------------:|-----------------------------------:|-----------------------------------:|");
        var counts = sizes.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        // NetMQ reads its socket limit when the context is created, i.e. at the first socket.
        NetMQConfig.MaxSockets = 2 * counts.Max() + 100;
        foreach (var n in counts)
        {
            var (broadcastMs, topicUs) = Measure(n);
            Console.WriteLine($"| {n,11:N0} | {broadcastMs,34:F2} | {topicUs,34:F1} |");
        }
        return 0;
    }

    private static (double BroadcastMs, double TopicUs) Measure(int subscribers)
    {
        using var publisher = new PublisherSocket();
        publisher.Options.SendHighWatermark = 100_000;
        var port = publisher.BindRandomPort("tcp://127.0.0.1");
        var subscriberSockets = new List<SubscriberSocket>();
        try
        {
            for (var i = 0; i < subscribers; i++)
            {
                var subscriber = new SubscriberSocket();
                subscriber.Options.ReceiveHighWatermark = 100_000;
                subscriber.Options.Linger = TimeSpan.Zero;
                subscriber.Subscribe("all/");
                subscriber.Subscribe($"m/swarm-{i:D5}/");
                subscriber.Connect($"tcp://127.0.0.1:{port}");
                subscriberSockets.Add(subscriber);
            }
            // Subscriptions reach the PUB asynchronously and are applied when it sends: give them time, then send a few
            // frames nobody subscribed to so they are all in the trie before the clock starts.
            Thread.Sleep(2000 + subscribers);
            for (var i = 0; i < 3; i++)
            {
                publisher.SendMoreFrame("x/").SendFrame(new byte[8]);
                Thread.Sleep(300);
            }
            var payload = new byte[700];
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < Broadcasts; i++)
            {
                publisher.SendMoreFrame("all/").SendFrame(payload);
            }
            var broadcastMs = clock.Elapsed.TotalMilliseconds / Broadcasts;
            clock.Restart();
            for (var i = 0; i < TopicSends; i++)
            {
                publisher.SendMoreFrame($"m/swarm-{i % subscribers:D5}/").SendFrame(payload);
            }
            return (broadcastMs, clock.Elapsed.TotalMilliseconds * 1000 / TopicSends);
        }
        finally
        {
            foreach (var subscriber in subscriberSockets)
            {
                subscriber.Dispose();
            }
        }
    }
}
