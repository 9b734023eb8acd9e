/**
 * The first import of each app's main: it runs at import time, so the check happens
 * before any other module (one of which crashes older Nodes) is loaded. It imports
 * only node: built-ins. A second public entry of the platform lib, beside its index,
 * for that reason (the exception is in .dependency-cruiser.js and eslint.config.mjs).
 */
import { exitUnlessSupportedNode } from './node-version/node-version';

exitUnlessSupportedNode();
