#!/usr/bin/env python3
"""Where a sampled process spent its running time: reads dotnet-trace's speedscope JSON (--format Speedscope) and prints
the top frames by exclusive and by inclusive samples, leaving out samples whose stack ends in a wait (a thread blocked in
epoll, a semaphore or a sleep is not using the CPU).

usage: speedscope-top.py FILE.speedscope.json [--top N] [--thread SUBSTRING] [--match SUBSTRING]"""
import json
import sys
from collections import Counter

WAITS = ("WaitHandle", "Monitor.Wait", "LowLevelLifoSemaphore", "SemaphoreSlim.Wait", "Thread.Sleep", "epoll", "poll(",
         "WaitForSignal", "WaitOne", "WaitCore", "Interop+Sys.Poll", "Interop+Sys.WaitForSocketEvents", "ManualResetEventSlim.Wait",
         "SpinWait", "Thread.Join", "PollAsync", "WaitNative", "SignalAndWait", "SocketPal.Poll", "SocketPal.Select",
         "Socket.Select", "NetMQSelector.Select", "SocketAsyncEngine.EventLoop", "Task.Delay", "TimerQueue")
# Pseudo-frames dotnet-trace puts at the end of a stack: whether the thread ran managed code or was in native code (which
# may be real work, such as OpenSSL, or a blocking system call, which the frame before it tells).
PSEUDO = ("UNMANAGED_CODE_TIME", "CPU_TIME")


def stacks(profile, frames):
    """(frame names root first, weight) for a sampled profile, or for an evented one (open/close events: the time until
    the next event belongs to the stack open at that moment, in the profile's unit)."""
    if profile["type"] == "sampled":
        weights = profile.get("weights") or [1] * len(profile["samples"])
        for stack, weight in zip(profile["samples"], weights):
            if stack:
                yield [frames[i] for i in stack], weight
        return
    open_frames, last = [], None
    for event in profile["events"]:
        if last is not None and open_frames and event["at"] > last:
            yield [frames[i] for i in open_frames], event["at"] - last
        last = event["at"]
        if event["type"] == "O":
            open_frames.append(event["frame"])
        elif open_frames:
            open_frames.pop()


def main():
    args = sys.argv[1:]
    path = args[0]
    top = int(args[args.index("--top") + 1]) if "--top" in args else 40
    thread_filter = args[args.index("--thread") + 1] if "--thread" in args else None
    match = args[args.index("--match") + 1] if "--match" in args else None
    doc = json.load(open(path))
    frames = [f["name"] for f in doc["shared"]["frames"]]
    exclusive, inclusive, threads = Counter(), Counter(), Counter()
    total = 0
    for profile in doc["profiles"]:
        if thread_filter and thread_filter not in profile["name"]:
            continue
        for names, weight in stacks(profile, frames):
            while names and names[-1] in PSEUDO:
                names = names[:-1]
            if not names or any(w in names[-1] for w in WAITS):
                continue
            if match and not any(match in n for n in names):
                continue
            total += weight
            threads[profile["name"]] += weight
            exclusive[names[-1]] += weight
            for name in set(names):
                inclusive[name] += weight
    print(f"running time: {total / 1000:.1f} s (sum over threads)")
    print("\n-- by thread --")
    for name, n in threads.most_common(12):
        print(f"{n:8.0f} {100 * n / total:5.1f}%  {name}")
    print("\n-- exclusive --")
    for name, n in exclusive.most_common(top):
        print(f"{n:8.0f} {100 * n / total:5.1f}%  {name[:150]}")
    print("\n-- inclusive --")
    for name, n in inclusive.most_common(top):
        print(f"{n:8.0f} {100 * n / total:5.1f}%  {name[:150]}")


if __name__ == "__main__":
    main()
