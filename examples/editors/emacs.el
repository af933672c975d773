;;; emacs.el --- a code-mode host driven from Emacs's built-in jsonrpc.el  -*- lexical-binding: t -*-
;; Run: CODEMODE_HOST='["codemode-host"]' CODEMODE_RESULT=out.json emacs --batch -Q -l emacs.el
;; It runs a cell that calls a tool (answered by the request dispatcher), cancels a request, shuts
;; the host down and writes what it saw to $CODEMODE_RESULT as JSON.
;; Method names are symbols: jsonrpc.el 1.0.14 (Emacs 28) sends a string method as null.
(require 'jsonrpc)

(let* ((command (append (json-parse-string (getenv "CODEMODE_HOST")) nil))
       (seen (list :closed []))
       (process (make-process :name "codemode" :command command :connection-type 'pipe
                              :coding 'utf-8-emacs-unix :noquery t
                              :stderr (get-buffer-create "*codemode stderr*")))
       (connection
        (jsonrpc-process-connection
         :name "codemode" :process process
         ;; Host-to-client requests: the returned plist is the JSON-RPC result.
         :request-dispatcher
         (lambda (_connection method params)
           (pcase method
             ('delegate/invokeTool
              (let ((input (plist-get params :input)))
                (setq seen (plist-put seen :toolInput input))
                (list :result (+ (plist-get input :a) (plist-get input :b)))))
             (_ (jsonrpc-error :code -32601 :message "no such method"))))
         :notification-dispatcher
         (lambda (_connection method params)
           (when (eq method 'cell/closed)
             (setq seen (plist-put seen :closed (vconcat (plist-get seen :closed) (list (plist-get params :cellId))))))))))
  (let ((init (jsonrpc-request connection 'initialize '(:protocolVersion 1 :clientInfo (:name "emacs")))))
    (setq seen (plist-put seen :protocolVersion (plist-get init :protocolVersion))))
  (jsonrpc-notify connection 'initialized nil)
  (jsonrpc-request connection 'session/open '(:sessionId "emacs"))
  (let ((response (jsonrpc-request connection 'cell/execute
                                   '(:sessionId "emacs" :source "const r = await tools.add({a: 2, b: 3}); text(r * 7)"
                                     :tools [(:name "add")]))))
    (setq seen (plist-put seen :execute (list :status (plist-get response :status)
                                              :text (plist-get (aref (plist-get response :items) 0) :text)))))
  ;; Cancel an execute: jsonrpc.el 1.0.14 does not return the id of an async request, so read the
  ;; connection's counter right after sending it.
  (let (cancelled)
    (jsonrpc-async-request connection 'cell/execute '(:sessionId "emacs" :source "await new Promise(() => {})" :yieldTimeMs 60000)
                           :success-fn (lambda (_result) (setq cancelled '(:code "not cancelled")))
                           :error-fn (lambda (error) (setq cancelled (list :code (plist-get error :code)
                                                                          :cellId (plist-get (plist-get error :data) :cellId))))
                           :timeout 20)
    (let ((id (jsonrpc--next-request-id connection)))
      (sleep-for 0.2)
      (jsonrpc-notify connection '$/cancelRequest (list :id id)))
    (while (null cancelled) (accept-process-output nil 0.05))
    (setq seen (plist-put seen :cancelled cancelled)))
  (jsonrpc-request connection 'shutdown nil)
  (jsonrpc-notify connection 'exit nil)
  (while (process-live-p process) (accept-process-output process 0.05))
  (setq seen (plist-put seen :exitCode (process-exit-status process)))
  (with-temp-file (getenv "CODEMODE_RESULT")
    (insert (json-serialize seen))))
