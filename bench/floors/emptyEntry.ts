// node_start's entry file: it imports nothing and does nothing, so Node's own start is all it costs.
export {};
