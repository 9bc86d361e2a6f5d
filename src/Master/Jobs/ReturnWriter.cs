using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Orchestrator.Master.Hosting;

namespace Orchestrator.Master.Jobs;

/// <summary>
/// Stores returns in batches, one SQLite transaction per batch, and only then lets each be acknowledged: a thousand
/// minions answering at once cost a few commits instead of a thousand. A return not yet stored when the master stops
/// is not acknowledged, so its minion delivers it again later.
/// </summary>
public sealed class ReturnWriter(IJobCache cache, ILogger<ReturnWriter> logger)
{
    private const int MaxBatch = 1000;

    private readonly Channel<(ReturnRecord Record, Action Stored)> _queue =
        Channel.CreateUnbounded<(ReturnRecord, Action)>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues a return; <paramref name="stored"/> runs once it is committed.</summary>
    public void Enqueue(ReturnRecord record, Action stored) => _queue.Writer.TryWrite((record, stored));

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var batch = new List<(ReturnRecord Record, Action Stored)>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            try
            {
                cache.SaveReturns(batch.Select(b => b.Record).ToList());
                foreach (var (_, stored) in batch)
                {
                    stored();
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Not acknowledged, so every minion in the batch keeps its return and sends it again (full disk, locked file...).
                MasterLog.ReturnBatchFailed(logger, e, batch.Count);
            }
            batch.Clear();
        }
    }
}
