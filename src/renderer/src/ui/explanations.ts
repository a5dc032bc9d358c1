/**
 * What each setting and number means, in two or three plain sentences for a student who has never
 * trained a network: the texts behind every "?" in the app (see HelpTip.svelte). One place, so a
 * teacher can read them all at once and a wording is changed once.
 */
export interface Explanation {
  /** The thing explained, as the button names it: "About learning rate". */
  title: string;
  text: string;
}

export const EXPLANATIONS = {
  viewMode: {
    title: 'the Simple and Advanced views',
    text: 'Simple shows only the settings to start with: a preset, the learning rate and the number of epochs. Advanced shows every setting of the network and its training. The app remembers your choice.',
  },
  preset: {
    title: 'presets',
    text: 'A preset fills in every setting at once with a tried combination. "Default" and "Fast" learn well; "Notebook" and "Blog" repeat the course\'s own runs. Change any setting afterwards to make it your own.',
  },
  dataset: {
    title: 'the dataset',
    text: 'The pictures the network learns from, each with its correct label. MNIST has 60,000 handwritten digits to train on and 10,000 more kept apart for testing. You can open another folder of pictures in the same format.',
  },
  network: {
    title: 'the network',
    text: 'The layers of units the picture passes through: one input per pixel, then hidden layers, then one output per class. More units and layers can learn more complicated patterns, but train more slowly and can memorise the training pictures.',
  },
  activation: {
    title: 'activation',
    text: 'The function each hidden unit applies to its weighted sum, which lets the network learn curved boundaries rather than straight lines. ReLU keeps positive values and turns negatives into 0; sigmoid and tanh squash everything into a small range, and learn slowly when they are pushed to their flat ends.',
  },
  initialiser: {
    title: 'the initialiser',
    text: 'How the weights are set at random before training starts. If they start too small, the signal and the corrections fade from layer to layer; too large, and they blow up. He suits ReLU, Xavier suits sigmoid and tanh.',
  },
  optimiser: {
    title: 'the optimiser',
    text: 'The rule that turns the gradient (which way each weight should move to lower the loss) into an actual step. Gradient descent (SGD) steps straight downhill; momentum keeps part of the previous step; Adam adapts the step size for each weight and usually needs the least tuning.',
  },
  learningRate: {
    title: 'learning rate',
    text: 'How big a step the weights take after each batch. Too small and the loss barely moves; too large and the loss jumps around or explodes. Changing it by a factor of 10 is the usual way to try.',
  },
  momentum: {
    title: 'momentum',
    text: 'How much of the previous step is kept in the next one, like a ball rolling downhill. It smooths out zig-zags and speeds up progress along long slopes. 0.9 is the usual value.',
  },
  weightDecay: {
    title: 'weight decay',
    text: 'A small pull of every weight towards zero at each step. It discourages the network from memorising the training pictures with extreme weights, which can help it do better on new ones. 0 turns it off; 0.0001 is a gentle start.',
  },
  batchSize: {
    title: 'batch size',
    text: 'How many pictures the network looks at before it takes one step. Small batches give many quick but noisy steps; large batches give fewer, steadier steps. Each step uses the average over its batch.',
  },
  epochs: {
    title: 'epochs',
    text: 'An epoch is one pass over every training picture. More epochs give the network more time to learn, but after a point it starts memorising the training pictures instead of improving on new ones.',
  },
  seed: {
    title: 'the seed',
    text: 'The starting number for everything random in a run: the first weights and the shuffled order. The same seed with the same settings gives exactly the same run, so you can compare one change at a time.',
  },
  shuffle: {
    title: 'shuffling',
    text: 'Whether the training pictures are put in a new random order at the start of every epoch. Shuffling stops the network from learning the order of the pictures instead of the pictures themselves.',
  },
  epoch: {
    title: 'the epoch counter',
    text: 'Which pass over the training pictures the run is on, out of how many it will make. After each epoch the network is tested on the pictures it never trains on.',
  },
  batch: {
    title: 'the batch counter',
    text: 'Which batch of the current epoch is being learned from, out of how many make up one epoch. Every batch ends with one step of the weights.',
  },
  timeLeft: {
    title: 'time left',
    text: 'An estimate of how long the rest of the run will take at the current speed. Testing after each epoch is not counted, so the run may take a little longer.',
  },
  samplesPerSecond: {
    title: 'samples per second',
    text: 'How many training pictures the computer works through each second, forwards and backwards. It depends on the size of the network, the batch size and the computer; it says nothing about how well the network learns.',
  },
  loss: {
    title: 'loss',
    text: 'A number that measures how wrong the network is: 0 means it gives the right digit with full confidence. Guessing blindly among 10 digits scores about 2.3. Training is the search for weights that make the loss small.',
  },
  accuracy: {
    title: 'accuracy',
    text: 'The share of pictures for which the network\'s most likely answer is the correct digit. Guessing blindly among 10 digits scores about 10 %.',
  },
  testAccuracy: {
    title: 'test accuracy',
    text: 'Accuracy on the 10,000 test pictures, which the network never learns from. It shows how well the network does on new handwriting, which is what matters.',
  },
  trainVsTest: {
    title: 'training vs test accuracy',
    text: 'Training accuracy is measured on the pictures the network learns from; test accuracy on pictures it never sees while learning. When training accuracy pulls well ahead of test accuracy, the network is memorising its training pictures (overfitting).',
  },
} as const satisfies Record<string, Explanation>;

export type ExplanationId = keyof typeof EXPLANATIONS;
