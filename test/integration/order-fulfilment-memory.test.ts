import { openFulfilmentApp } from '../support/fulfilment-app.js';
import { fulfilmentSuite } from './order-fulfilment.suite.js';

fulfilmentSuite('memory', () => openFulfilmentApp({ store: 'memory' }));
