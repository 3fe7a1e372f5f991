"""Peer for `bench/run fmnist-lstm`: PyTorch (CPU) LSTM reading Fashion-MNIST images row by row.

Network: each 28x28 image is a sequence of 28 steps of 28 pixels; nn.LSTM(28, 128, batch_first=True), the last
step's hidden state, then nn.Linear(128, 10); PyTorch default init. Training: Adam lr 1e-3, batch 128,
cross-entropy, pixels scaled to [0, 1], reshuffled every epoch, on the 60k training images; then accuracy on the
10k test images (not timed). The same shape and settings as the Ludus side of the benchmark.
Usage: python3 torch_lstm_fmnist.py [epochs] [threads] [seed]
Prints one JSON line: training samples/s (training rows / training seconds), seconds per epoch, test accuracy.
"""
import gzip, json, os, sys, time
epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 1
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 0
os.environ.setdefault('OPENBLAS_NUM_THREADS', str(threads))  # torch.set_num_threads does not reach OpenBLAS's pool
import numpy as np, torch
from torch import nn
torch.set_num_threads(threads); torch.manual_seed(seed); np.random.seed(seed)
D = os.environ.get('LUDUS_FMNIST', '/usr/share/datasets/fashion-mnist/').rstrip('/') + '/'
def idx(name, off):
    with gzip.open(D + name) as f: return np.frombuffer(f.read(), np.uint8, offset=off)
Xtr = torch.tensor(idx('train-images-idx3-ubyte.gz', 16).reshape(-1, 28, 28) / 255.0, dtype=torch.float32)
ytr = torch.tensor(idx('train-labels-idx1-ubyte.gz', 8).astype(np.int64))
Xte = torch.tensor(idx('t10k-images-idx3-ubyte.gz', 16).reshape(-1, 28, 28) / 255.0, dtype=torch.float32)
yte = torch.tensor(idx('t10k-labels-idx1-ubyte.gz', 8).astype(np.int64))

class RowLstm(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(28, 128, batch_first=True)
        self.out = nn.Linear(128, 10)
    def forward(self, x):
        seq, _ = self.lstm(x)
        return self.out(seq[:, -1])

net = RowLstm()
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
B = 128; t_train = 0.0
for ep in range(epochs):
    perm = torch.randperm(len(Xtr)); t0 = time.perf_counter()
    for i in range(0, len(Xtr), B):
        j = perm[i:i + B]
        loss = nn.functional.cross_entropy(net(Xtr[j]), ytr[j])
        opt.zero_grad(); loss.backward(); opt.step()
    t_train += time.perf_counter() - t0
    print('epoch %d: %.1f s' % (ep + 1, time.perf_counter() - t0), file=sys.stderr, flush=True)
with torch.no_grad():
    pred = torch.cat([net(Xte[i:i + 1000]).argmax(1) for i in range(0, len(Xte), 1000)])
acc = (pred == yte).float().mean().item()
print(json.dumps(dict(peer='pytorch-%s lstm' % torch.__version__, threads=threads, epochs=epochs, seed=seed,
                      samples_per_s=round(epochs * len(Xtr) / t_train), s_per_epoch=round(t_train / epochs, 2),
                      test_acc=round(acc, 4))))
