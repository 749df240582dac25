using System.Runtime.ExceptionServices;

namespace FlowMatching.Runtime.Models;

/// <summary>
/// One velocity field evaluated by several single-threaded ONNX Runtime sessions at once, each on its own block
/// of the batch's rows (the caller's thread takes the first block). ONNX Runtime's own threads split each
/// operator and meet after every one of them; a network small enough to run a hundred rows in tens of
/// microseconds spends much of that in the meetings, while a block per thread meets once per evaluation.
/// Every row goes through the same kernels whatever its block, so the velocity is the same bytes for any number
/// of parts.
/// </summary>
public sealed class RowParallelField : IClassConditionalField, IFlowMapField, IDisposable
{
    private readonly OnnxVelocityField[] _parts;
    private readonly BlockWorker[] _workers;
    private float[] _points = [];
    private float[] _velocity = [];
    private long[] _classes = [];
    private double _time;
    private double _step;
    private int _rows;
    private bool _withClasses;

    /// <param name="parts">The sessions, all of one model; the field owns them.</param>
    public RowParallelField(IReadOnlyList<OnnxVelocityField> parts)
    {
        ArgumentOutOfRangeException.ThrowIfZero(parts.Count);
        _parts = [.. parts];
        _workers = [.. Enumerable.Range(1, parts.Count - 1).Select(block => new BlockWorker(() => EvaluateBlock(block)))];
    }

    public int Dimension => _parts[0].Dimension;

    public int Classes => _parts[0].Classes;

    /// <summary>While registered, cancelling <paramref name="cancellationToken"/> also aborts the evaluations in flight.</summary>
    public CancellationTokenRegistration AbortOn(CancellationToken cancellationToken)
    {
        foreach (OnnxVelocityField part in _parts)
        {
            part.ClearAbort();
        }

        return cancellationToken.Register(() =>
        {
            foreach (OnnxVelocityField part in _parts)
            {
                part.Abort();
            }
        });
    }

    public void Evaluate(double t, ReadOnlySpan<float> points, Span<float> velocity) => Evaluate(t, points, [], velocity);

    public void Evaluate(double t, ReadOnlySpan<float> points, ReadOnlySpan<long> classes, Span<float> velocity) => Evaluate(t, 0, points, classes, velocity);

    /// <summary>A flow-map network's average velocity over [t, t + h] (h = 0: its velocity).</summary>
    public void Evaluate(double t, double h, ReadOnlySpan<float> points, ReadOnlySpan<long> classes, Span<float> velocity)
    {
        int rows = points.Length / Dimension;
        int blocks = Math.Min(_parts.Length, rows);
        if (blocks <= 1)
        {
            _parts[0].Evaluate(t, h, points, classes, velocity);
            return;
        }

        // The workers read and write these copies: a span cannot cross threads.
        if (_points.Length != points.Length)
        {
            _points = new float[points.Length];
            _velocity = new float[points.Length];
            _classes = new long[rows];
        }

        points.CopyTo(_points);
        _withClasses = !classes.IsEmpty;
        if (_withClasses)
        {
            classes.CopyTo(_classes);
        }

        _time = t;
        _step = h;
        _rows = rows;
        for (int block = 1; block < blocks; block++)
        {
            _workers[block - 1].Start();
        }

        Exception? failure = null;
        try
        {
            int count = Block(rows, 0, blocks).Count;
            _parts[0].Evaluate(t, h, points[..(count * Dimension)], _withClasses ? classes[..count] : [], velocity[..(count * Dimension)]);
        }
        catch (Exception e)
        {
            failure = e;
        }

        // Every worker is waited for, even after a failure here: they still use the shared buffers, and one left
        // running would signal the next evaluation's end with this one's.
        for (int block = 1; block < blocks; block++)
        {
            Exception? workerFailure = _workers[block - 1].Wait();
            failure ??= workerFailure;
        }

        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        int rest = Block(rows, 1, blocks).First * Dimension;
        _velocity.AsSpan(rest, points.Length - rest).CopyTo(velocity[rest..]);
    }

    public void Dispose()
    {
        foreach (BlockWorker worker in _workers)
        {
            worker.Dispose();
        }

        foreach (OnnxVelocityField part in _parts)
        {
            part.Dispose();
        }
    }

    /// <summary>Rows <c>First</c> .. <c>First + Count - 1</c> of <paramref name="rows"/> are block <paramref name="block"/> of <paramref name="blocks"/> (sizes differ by at most one).</summary>
    internal static (int First, int Count) Block(int rows, int block, int blocks)
    {
        int first = (int)((long)rows * block / blocks);
        return (first, (int)((long)rows * (block + 1) / blocks) - first);
    }

    private void EvaluateBlock(int block)
    {
        (int first, int count) = Block(_rows, block, Math.Min(_parts.Length, _rows));
        int d = Dimension;
        _parts[block].Evaluate(
            _time,
            _step,
            _points.AsSpan(first * d, count * d),
            _withClasses ? _classes.AsSpan(first, count) : [],
            _velocity.AsSpan(first * d, count * d));
    }

    /// <summary>
    /// A thread that runs one block's evaluation each time it is started. Waiting spins before it sleeps: an
    /// integrator asks for the next evaluation within microseconds, and waking a sleeping thread costs more.
    /// </summary>
    private sealed class BlockWorker : IDisposable
    {
        private const int SpinCount = 2047;
        private readonly ManualResetEventSlim _start = new(false, SpinCount);
        private readonly ManualResetEventSlim _done = new(false, SpinCount);
        private readonly Action _evaluate;
        private readonly Thread _thread;
        private Exception? _failure;
        private volatile bool _stopping;

        public BlockWorker(Action evaluate)
        {
            _evaluate = evaluate;
            _thread = new Thread(Run) { IsBackground = true, Name = "row block" };
            _thread.Start();
        }

        public void Start()
        {
            _failure = null;
            _done.Reset();
            _start.Set();
        }

        /// <summary>Waits for the evaluation started last; what it threw, or null.</summary>
        public Exception? Wait()
        {
            _done.Wait();
            return _failure;
        }

        public void Dispose()
        {
            _stopping = true;
            _start.Set();
            _thread.Join();
            _start.Dispose();
            _done.Dispose();
        }

        private void Run()
        {
            while (true)
            {
                _start.Wait();
                _start.Reset();
                if (_stopping)
                {
                    return;
                }

                try
                {
                    _evaluate();
                }
                catch (Exception e)
                {
                    _failure = e;
                }

                _done.Set();
            }
        }
    }
}
